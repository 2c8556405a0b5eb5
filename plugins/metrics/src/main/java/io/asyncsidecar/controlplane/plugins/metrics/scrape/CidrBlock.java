package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code fe80::/10}. */
public final class CidrBlock {

    private final byte[] network;
    private final int prefix;
    private final String text;

    private CidrBlock(byte[] network, int prefix, String text) {
        this.network = network;
        this.prefix = prefix;
        this.text = text;
    }

    /**
     * Parses {@code address/prefix}; an address alone is a single-address block.
     *
     * @param text the block
     * @return the block
     * @throws IllegalArgumentException naming the bad text
     */
    public static CidrBlock parse(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        String address = slash < 0 ? s : s.substring(0, slash);
        if (!isLiteral(address)) {
            throw new IllegalArgumentException("not an IP address block: '" + text + "'");
        }
        byte[] bytes;
        try {
            // A literal never goes to DNS.
            bytes = InetAddress.getByName(address).getAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address block: '" + text + "'");
        }
        int max = bytes.length * 8;
        int prefix = max;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad prefix length in '" + text + "'");
            }
            if (prefix < 0 || prefix > max) {
                throw new IllegalArgumentException("prefix length of '" + text + "' must be 0.." + max);
            }
        }
        return new CidrBlock(bytes, prefix, s);
    }

    /**
     * Whether text looks like an IP literal (or block) rather than a host name.
     *
     * @param text host or block text
     * @return true for {@code 10.1.2.3}, {@code ::1}, {@code 10.0.0.0/8}
     */
    public static boolean looksLikeBlock(String text) {
        String s = text.trim();
        int slash = s.indexOf('/');
        return isLiteral(slash < 0 ? s : s.substring(0, slash));
    }

    private static boolean isLiteral(String address) {
        if (address.indexOf(':') >= 0) {
            return address.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
        }
        return !address.isEmpty() && address.chars().allMatch(c -> (c >= '0' && c <= '9') || c == '.')
                && address.chars().filter(c -> c == '.').count() == 3;
    }

    /**
     * Whether the block holds an address (of the same family).
     *
     * @param address the address
     * @return true when inside
     */
    public boolean contains(InetAddress address) {
        byte[] a = address.getAddress();
        if (a.length != network.length) {
            return false;
        }
        int bits = prefix;
        for (int i = 0; i < a.length && bits > 0; i++, bits -= 8) {
            int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
            if ((a[i] & mask) != (network[i] & mask)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
