package io.asyncsidecar.controlplane.plugins.audit;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.asyncsidecar.controlplane.plugins.audit.AuditSettings.LogRef;
import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.common.uri.UriQuery;

/**
 * Checks a request's parameters at the edge: unknown or repeated names are a 400 naming them, and so is a
 * {@code path} that is not one of the configured logs: a caller may read those and no other file.
 */
final class AuditRequest {

    private AuditRequest() {
    }

    /**
     * The parameters of an HTTP request, one value each.
     *
     * @param query the query
     * @param known the accepted names
     * @return values by name
     * @throws ProblemException 400 for an unknown or repeated parameter
     */
    static Map<String, String> params(UriQuery query, Set<String> known) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String name : query.names()) {
            checkName(name, known);
            List<String> all = query.all(name);
            if (all.size() > 1) {
                throw ProblemException.badRequest("'" + name + "' is given " + all.size() + " times; give it once")
                        .with("field", name);
            }
            m.put(name, all.isEmpty() ? "" : all.getFirst());
        }
        return m;
    }

    /**
     * The parameters of a WebSocket upgrade.
     *
     * @param query first value of each parameter
     * @param known the accepted names
     * @return the same map, checked
     * @throws ProblemException 400 for an unknown parameter
     */
    static Map<String, String> params(Map<String, String> query, Set<String> known) {
        for (String name : query.keySet()) {
            checkName(name, known);
        }
        return query;
    }

    private static void checkName(String name, Set<String> known) {
        if (known.contains(name)) {
            return;
        }
        String hint = name.equals("tenant") || name.equals("tenant_id")
                ? " (entries are always those of the caller's tenant; a tenants.admin caller names another with the"
                + " X-Tenant-ID header)"
                : "";
        throw ProblemException.badRequest("unknown parameter '" + name + "'" + hint + "; known: "
                + String.join(", ", new TreeSet<>(known))).with("field", name);
    }

    /**
     * The log a request names.
     *
     * @param logs      the configured logs, the default first
     * @param workspace the workspace, against which a relative {@code path} resolves
     * @param requested the {@code path} parameter, or null
     * @return the log
     * @throws ProblemException 400 when it names anything but a configured log
     */
    static LogRef log(List<LogRef> logs, Path workspace, String requested) {
        if (requested == null || requested.isEmpty()) {
            return logs.getFirst();
        }
        for (LogRef l : logs) {
            if (l.configured().equals(requested)) {
                return l;
            }
        }
        try {
            Path p = workspace.resolve(requested).toAbsolutePath().normalize();
            for (LogRef l : logs) {
                if (l.path().equals(p)) {
                    return l;
                }
            }
        } catch (InvalidPathException e) {
            // refused below like any other path
        }
        throw ProblemException.badRequest("'path' may only name a configured audit log (plugins.audit.path,"
                + " plugins.audit.extra-paths): " + configured(logs) + "; got '" + requested + "'")
                .with("field", "path");
    }

    private static String configured(Collection<LogRef> logs) {
        return logs.stream().map(LogRef::configured).toList().toString();
    }
}
