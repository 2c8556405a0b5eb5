package io.asyncsidecar.controlplane.plugins.helm;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Container;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * A container's ports (host ports, privileged ports, ssh) and its probes (the port each one checks, liveness the
 * same as readiness).
 */
final class PodSpecPorts {

    static final CheckRule HOST_PORT = new CheckRule("helm.host-port", Severity.WARNING,
            "No container binds a port of the node (ports[].hostPort).");
    static final CheckRule PRIVILEGED_PORTS = new CheckRule("helm.privileged-ports", Severity.INFO,
            "No container listens on a privileged port (containerPort below 1024).");
    static final CheckRule SSH_PORT = new CheckRule("helm.ssh-port", Severity.WARNING,
            "No container exposes the ssh port 22/TCP.");
    static final CheckRule LIVENESS_PORT = new CheckRule("helm.liveness-probe-port", Severity.WARNING,
            "A container's livenessProbe checks a port the container declares (by number or name).");
    static final CheckRule READINESS_PORT = new CheckRule("helm.readiness-probe-port", Severity.WARNING,
            "A container's readinessProbe checks a port the container declares (by number or name).");
    static final CheckRule STARTUP_PORT = new CheckRule("helm.startup-probe-port", Severity.WARNING,
            "A container's startupProbe checks a port the container declares (by number or name).");
    static final CheckRule PROBES_IDENTICAL = new CheckRule("helm.probes-identical", Severity.WARNING,
            "A long-running container's livenessProbe does not make the same check as its readinessProbe.");

    static final List<CheckRule> RULES = List.of(HOST_PORT, PRIVILEGED_PORTS, SSH_PORT, LIVENESS_PORT,
            READINESS_PORT, STARTUP_PORT, PROBES_IDENTICAL);

    private static final int FIRST_UNPRIVILEGED = 1024;
    private static final int SSH = 22;
    private static final Set<String> BATCH = Set.of("Job", "CronJob");

    private final PodSpecChecks checks;

    PodSpecPorts(PodSpecChecks checks) {
        this.checks = checks;
    }

    void check(Container c) {
        RenderedObject o = c.pod().object();
        List<Map<String, Object>> ports = ManifestValues.maps(c.spec(), "ports");
        for (int i = 0; i < ports.size(); i++) {
            Map<String, Object> p = ports.get(i);
            String at = c.path() + ".ports[" + i + "]";
            long hostPort = ManifestValues.integer(p, "hostPort").orElse(0L);
            if (hostPort != 0) {
                checks.report(HOST_PORT, o, c, at + ".hostPort", o.line(p, "hostPort"),
                        c.subject() + " binds port " + hostPort + " of its node (hostPort): only one such pod fits"
                                + " on a node, and the port bypasses network policies",
                        "Remove hostPort and reach the container through a Service.");
            }
            Optional<Long> port = ManifestValues.integer(p, "containerPort");
            if (port.isEmpty()) {
                continue;
            }
            boolean tcp = Objects.requireNonNullElse(ManifestValues.string(p, "protocol"), "TCP").equals("TCP");
            if (port.get() == SSH && tcp) {
                checks.report(SSH_PORT, o, c, at + ".containerPort", o.line(p, "containerPort"),
                        c.subject() + " exposes port 22/TCP: an ssh server in a container is a way in that"
                                + " bypasses the cluster's access control",
                        "Remove the ssh server and port; use kubectl exec or debug containers.");
            } else if (port.get() > 0 && port.get() < FIRST_UNPRIVILEGED) {
                checks.report(PRIVILEGED_PORTS, o, c, at + ".containerPort", o.line(p, "containerPort"),
                        c.subject() + " listens on the privileged port " + port.get()
                                + ": binding it needs root or NET_BIND_SERVICE",
                        "Listen on a port of 1024 or more and map the Service's port to it.");
            }
        }
        checkProbePort(c, ports, "livenessProbe", LIVENESS_PORT);
        checkProbePort(c, ports, "readinessProbe", READINESS_PORT);
        checkProbePort(c, ports, "startupProbe", STARTUP_PORT);
        checkIdentical(c);
    }

    /** kube-linter's liveness-port, readiness-port and startup-port: TCP ports, by number or by name. */
    private void checkProbePort(Container c, List<Map<String, Object>> ports, String probeKey, CheckRule rule) {
        Map<String, Object> probe = ManifestValues.map(c.spec(), probeKey);
        String handler = null;
        for (String h : List.of("httpGet", "tcpSocket", "grpc")) {
            if (ManifestValues.isMap(probe, h)) {
                handler = h;
                break;
            }
        }
        if (handler == null) {
            return;
        }
        Map<String, Object> action = ManifestValues.map(probe, handler);
        Object port = action.get("port");
        if (port == null || !checks.judgeable(port) || !checks.judgeable(ports)
                || checks.mayBeGenerated(c.pod(), c.spec(), "ports")) {
            return;
        }
        Set<String> declared = new HashSet<>();
        for (Map<String, Object> p : ports) {
            String protocol = Objects.requireNonNullElse(ManifestValues.string(p, "protocol"), "TCP");
            if (protocol.equals("TCP")) {
                ManifestValues.integer(p, "containerPort").ifPresent(n -> declared.add(Long.toString(n)));
                String name = ManifestValues.string(p, "name");
                if (name != null) {
                    declared.add(name);
                }
            }
        }
        String wanted = port.toString().strip();
        if (declared.contains(wanted)) {
            return;
        }
        boolean named = !wanted.chars().allMatch(Character::isDigit);
        RenderedObject o = c.pod().object();
        checks.report(rule, o, c, c.path() + "." + probeKey + "." + handler + ".port", o.line(action, "port"),
                c.subject() + "'s " + probeKey + " checks " + (named ? "the port named '" : "port ") + wanted
                        + (named ? "'" : "") + ", which is not among its TCP ports "
                        + (declared.isEmpty() ? "(it declares none)" : declared.stream().sorted().toList().toString())
                        + (named ? ": a port name that does not resolve fails the probe every time" : ""),
                "Point the probe at one of the container's ports, or declare the port in ports[].");
    }

    /** kube-score's pod-probes-identical: the same handler for liveness and readiness. */
    private void checkIdentical(Container c) {
        if (c.init() || BATCH.contains(c.pod().kind())) {
            return;
        }
        Map<String, Object> liveness = ManifestValues.map(c.spec(), "livenessProbe");
        Map<String, Object> readiness = ManifestValues.map(c.spec(), "readinessProbe");
        String handler = sameHandler(liveness, readiness);
        if (handler == null || !checks.judgeable(liveness.get(handler))) {
            return;
        }
        RenderedObject o = c.pod().object();
        checks.report(PROBES_IDENTICAL, o, c, c.path() + ".livenessProbe." + handler, o.line(liveness, handler),
                c.subject() + " uses the same " + handler + " check " + liveness.get(handler) + " for liveness and"
                        + " readiness: when it is busy or a dependency is down, the pods are restarted instead of"
                        + " only taken out of the Service",
                "Make the livenessProbe check only that the process itself is alive (a separate endpoint, or a"
                        + " longer failureThreshold), and keep dependency checks in the readinessProbe.");
    }

    private static String sameHandler(Map<String, Object> liveness, Map<String, Object> readiness) {
        for (String h : List.of("httpGet", "tcpSocket", "exec", "grpc")) {
            Map<String, Object> a = ManifestValues.map(liveness, h);
            Map<String, Object> b = ManifestValues.map(readiness, h);
            if (a.isEmpty() || b.isEmpty()) {
                continue;
            }
            boolean same = switch (h) {
                case "httpGet" -> Objects.equals(Objects.requireNonNullElse(text(a, "path"), "/"),
                        Objects.requireNonNullElse(text(b, "path"), "/"))
                        && Objects.equals(text(a, "port"), text(b, "port"));
                case "exec" -> Objects.equals(a.get("command"), b.get("command"));
                case "grpc" -> Objects.equals(text(a, "port"), text(b, "port"))
                        && Objects.equals(text(a, "service"), text(b, "service"));
                default -> Objects.equals(text(a, "port"), text(b, "port"));
            };
            return same ? h : null;
        }
        return null;
    }

    private static String text(Map<String, Object> m, String key) {
        String s = ManifestValues.string(m, key);
        return s == null ? null : s.strip();
    }
}
