package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The original rule, {@code openapi.path-prefix}: every documented path is served under the prefix (default
 * {@code /v1}). What counts is the effective path a client calls: the path of each server that applies (the
 * operation's, the path item's or the document's servers; Swagger 2.0's {@code basePath}) joined with the path key,
 * so a spec that versions in its servers ({@code url: https://api.example/v1}) passes with {@code /pets}.
 */
final class OpenApiPathPrefix {

    /**
     * One path's verdict, as the response lists it.
     *
     * @param path           the path key
     * @param effectivePaths where it is served, one per distinct server path
     * @param operations     its methods
     * @param compliant      whether every effective path is under the prefix
     * @param reasons        why not, one per server that misses it (and server variables without defaults)
     */
    record PathReport(String path, List<String> effectivePaths, List<String> operations, boolean compliant,
                      List<String> reasons) {

        Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path);
            m.put("effective_paths", effectivePaths);
            m.put("operations", operations);
            m.put("compliant", compliant);
            m.put("reasons", reasons);
            return m;
        }
    }

    private final OpenApiContext context;
    private final OpenApiServers servers;

    OpenApiPathPrefix(OpenApiContext context, OpenApiServers servers) {
        this.context = context;
        this.servers = servers;
    }

    List<PathReport> run() {
        String prefix = context.prefix();
        List<PathReport> out = new ArrayList<>();
        for (OpenApiContext.PathEntry p : context.paths()) {
            context.deadline().check();
            List<String> methods = new ArrayList<>();
            List<OpenApiServers.Server> applying = new ArrayList<>();
            for (OpenApiContext.Operation op : context.operations()) {
                if (op.path() == p) {
                    methods.add(op.method());
                    applying.addAll(servers.serversFor(p.item(), op.operation()));
                }
            }
            if (applying.isEmpty()) {
                applying.addAll(servers.serversFor(p.item(), null));
            }
            Set<String> effective = new LinkedHashSet<>();
            Set<String> reasons = new LinkedHashSet<>();
            for (OpenApiServers.Server s : applying) {
                String path = join(s.path(), p.key());
                effective.add(path);
                if (!under(path, prefix)) {
                    reasons.add("served at '" + path + "' (" + (context.version().isOpenApi3() ? "server '"
                            : "basePath '") + s.url() + "'), not under '" + prefix + "'");
                }
                if (s.problem() != null) {
                    reasons.add(s.problem() + " in '" + s.url() + "'");
                }
            }
            boolean compliant = effective.stream().allMatch(e -> under(e, prefix));
            PathReport report = new PathReport(p.key(), List.copyOf(effective), List.copyOf(methods), compliant,
                    List.copyOf(reasons));
            out.add(report);
            if (!compliant) {
                context.findings().add(OpenApiRule.PATH_PREFIX, p.raw(), "PathItem", "Path '" + p.key() + "' is "
                        + String.join("; ", reasons) + ".", "Serve the API under " + prefix + ": put the version in"
                        + " the path keys or in the servers' URLs (Swagger 2.0: basePath); if this API versions"
                        + " differently, set plugins.compliance.openapi.prefix (or ?prefix=).");
            }
        }
        return out;
    }

    /** The server path and the path key as one path, with a single slash between. */
    static String join(String serverPath, String key) {
        String k = key.startsWith("/") ? key : "/" + key;
        return serverPath.isEmpty() ? k : serverPath + k;
    }

    /** Whether a path is the prefix or below it; {@code /} accepts every path. */
    static boolean under(String path, String prefix) {
        return prefix.equals("/") || path.equals(prefix) || path.startsWith(prefix + "/");
    }
}
