package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The server-side request forgery guard: decides whether a scrape may connect to a URL, and to which address.
 *
 * <p>A target is allowed when its host name matches an allowed name ({@code localhost}, or a {@code *.suffix}
 * pattern such as {@code *.svc}) or every address it resolves to lies in an allowed block ({@code 127.0.0.0/8}).
 * Whatever the allow list says, link-local addresses ({@code 169.254.0.0/16}, {@code fe80::/10}), cloud
 * metadata endpoints, unspecified, multicast and broadcast addresses, and configured deny blocks are refused,
 * checked on every resolved address. The scrape then connects to the address checked here rather than
 * resolving the name again, so DNS rebinding cannot slip another address in between.
 */
public final class TargetGuard {

    /** The always-refused blocks: link-local (incl. 169.254.169.254), metadata services, non-unicast. */
    public static final List<String> ALWAYS_DENIED = List.of(
            "169.254.0.0/16", "fe80::/10", "0.0.0.0/8", "::/128", "224.0.0.0/4", "ff00::/8", "255.255.255.255/32",
            "100.100.100.200/32", "fd00:ec2::254/128", "168.63.129.16/32");
    /** Host names of cloud metadata services, refused by name before any lookup. */
    public static final Set<String> METADATA_HOSTS = Set.of(
            "metadata", "metadata.google.internal", "metadata.goog", "instance-data", "instance-data.ec2.internal");
    /** The default allow list: loopback and in-cluster service names. */
    public static final List<String> DEFAULT_ALLOWED = List.of(
            "127.0.0.0/8", "::1/128", "localhost", "*.svc", "*.svc.cluster.local");

    /** Resolves host names; replaceable in tests. */
    @FunctionalInterface
    public interface Resolver {
        /**
         * All addresses of a host.
         *
         * @param host a host name or literal
         * @return its addresses
         * @throws UnknownHostException when it has none
         */
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The guard's verdict on a URL. */
    public sealed interface Decision permits Allowed, Refused {
    }

    /**
     * Connect to this address.
     *
     * @param address the checked address
     */
    public record Allowed(InetAddress address) implements Decision {
    }

    /**
     * Do not connect.
     *
     * @param reason why, for the report
     */
    public record Refused(String reason) implements Decision {
    }

    private final List<String> allowedNames;
    private final List<CidrBlock> allowedBlocks;
    private final List<CidrBlock> deniedBlocks;
    private final Resolver resolver;

    private TargetGuard(List<String> allowedNames, List<CidrBlock> allowedBlocks, List<CidrBlock> deniedBlocks,
                        Resolver resolver) {
        this.allowedNames = List.copyOf(allowedNames);
        this.allowedBlocks = List.copyOf(allowedBlocks);
        this.deniedBlocks = List.copyOf(deniedBlocks);
        this.resolver = resolver;
    }

    /**
     * A guard.
     *
     * @param allow    host names, {@code *.suffix} patterns and address blocks to allow
     * @param deny     extra blocks to refuse, on top of {@link #ALWAYS_DENIED}
     * @param resolver the name resolver
     * @return the guard
     * @throws IllegalArgumentException for an entry that is neither a name pattern nor a block
     */
    public static TargetGuard of(List<String> allow, List<String> deny, Resolver resolver) {
        List<String> names = new ArrayList<>();
        List<CidrBlock> blocks = new ArrayList<>();
        for (String entry : allow) {
            String e = entry.trim().toLowerCase(Locale.ROOT);
            if (e.isEmpty()) {
                continue;
            }
            if (CidrBlock.looksLikeBlock(e)) {
                blocks.add(CidrBlock.parse(e));
            } else if (e.matches("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
                names.add(e);
            } else {
                throw new IllegalArgumentException("allow-list entry '" + entry
                        + "' is neither a host name, a *.suffix pattern nor an address block");
            }
        }
        List<CidrBlock> denied = new ArrayList<>();
        for (String d : ALWAYS_DENIED) {
            denied.add(CidrBlock.parse(d));
        }
        for (String d : deny) {
            denied.add(CidrBlock.parse(d));
        }
        return new TargetGuard(names, blocks, denied, resolver);
    }

    /**
     * Checks a URL.
     *
     * @param uri an http or https URL
     * @return where to connect, or why not
     * @throws UnknownHostException when the host does not resolve (a scrape failure, not a refusal)
     */
    public Decision check(URI uri) throws UnknownHostException {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return new Refused("scheme '" + scheme + "' is not http or https");
        }
        if (uri.getRawUserInfo() != null) {
            return new Refused("URLs with credentials are not scraped");
        }
        String host = host(uri);
        if (host.isEmpty()) {
            return new Refused("URL has no host");
        }
        if (METADATA_HOSTS.contains(host)) {
            return new Refused("'" + host + "' is a cloud metadata service");
        }
        InetAddress[] addresses = resolver.resolve(host);
        if (addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        for (InetAddress a : addresses) {
            for (CidrBlock d : deniedBlocks) {
                if (d.contains(a)) {
                    return new Refused("'" + host + "' resolves to " + a.getHostAddress() + ", inside " + d
                            + (d.toString().startsWith("169.254") || d.toString().startsWith("fe80")
                            ? " (link-local, where cloud metadata services live)" : " (always refused)"));
                }
            }
        }
        if (nameAllowed(host)) {
            return new Allowed(addresses[0]);
        }
        for (InetAddress a : addresses) {
            if (allowedBlocks.stream().noneMatch(b -> b.contains(a))) {
                return new Refused("'" + host + "' (" + a.getHostAddress() + ") is not on the allow list "
                        + describeAllowList());
            }
        }
        return new Allowed(addresses[0]);
    }

    private boolean nameAllowed(String host) {
        if (CidrBlock.looksLikeBlock(host)) {
            return false;
        }
        for (String pattern : allowedNames) {
            if (pattern.startsWith("*.") ? host.endsWith(pattern.substring(1)) : host.equals(pattern)) {
                return true;
            }
        }
        return false;
    }

    private String describeAllowList() {
        List<String> all = new ArrayList<>(allowedNames);
        allowedBlocks.forEach(b -> all.add(b.toString()));
        return all.stream().collect(Collectors.joining(", ", "[", "]"));
    }

    /** The host, lower case, without IPv6 brackets or a trailing dot. */
    static String host(URI uri) {
        String h = uri.getHost();
        if (h == null) {
            return "";
        }
        h = h.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        while (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        return h;
    }

    /**
     * The default resolver: the JDK's (system DNS and hosts file).
     *
     * @return the resolver
     */
    public static Resolver systemResolver() {
        return InetAddress::getAllByName;
    }
}
