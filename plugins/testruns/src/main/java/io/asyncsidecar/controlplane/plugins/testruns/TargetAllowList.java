package io.asyncsidecar.controlplane.plugins.testruns;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which hosts a test run may target. A load test is a weapon pointed at a URL, so only loopback and
 * cluster-local service names are allowed unless the operator lists more: {@code localhost}, loopback IP
 * literals, {@code *.svc}, {@code *.svc.cluster.local}, plus {@code plugins.testruns.allowed-hosts} entries
 * (an exact name or IP, or {@code *.suffix}). Names are never resolved: a check by DNS would change with DNS.
 */
final class TargetAllowList {

    private static final List<String> BUILT_IN = List.of("localhost", "*.svc", "*.svc.cluster.local");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final List<String> patterns;

    private TargetAllowList(List<String> patterns) {
        this.patterns = patterns;
    }

    /**
     * The built-in patterns plus the configured ones.
     *
     * @param extra configured patterns
     * @return the allow list
     */
    public static TargetAllowList create(List<String> extra) {
        List<String> all = new ArrayList<>(BUILT_IN);
        for (String e : extra) {
            if (!e.isBlank()) {
                all.add(e.trim().toLowerCase(Locale.ROOT));
            }
        }
        return new TargetAllowList(List.copyOf(all));
    }

    /**
     * Whether a host may be targeted.
     *
     * @param rawHost the URI host (IPv6 literals may keep their brackets)
     * @return true when allowed
     */
    public boolean allows(String rawHost) {
        String host = rawHost.toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        if (isLoopbackLiteral(host)) {
            return true;
        }
        for (String p : patterns) {
            if (p.startsWith("*.") ? host.endsWith(p.substring(1)) && host.length() > p.length() - 1 : host.equals(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The patterns, for error messages.
     *
     * @return loopback plus the name patterns
     */
    public String describe() {
        return "loopback, " + String.join(", ", patterns);
    }

    private static boolean isLoopbackLiteral(String host) {
        // Parsed by hand: InetAddress.getByName would fall back to a DNS lookup for a malformed literal.
        if (IPV4.matcher(host).matches()) {
            String[] octets = host.split("\\.");
            for (String o : octets) {
                if (Integer.parseInt(o) > 255) {
                    return false;
                }
            }
            return octets[0].equals("127");
        }
        if (host.startsWith("::ffff:")) {
            return isLoopbackLiteral(host.substring("::ffff:".length()));
        }
        return host.equals("::1") || host.matches("(0{1,4}:){7}0{0,3}1");
    }
}
