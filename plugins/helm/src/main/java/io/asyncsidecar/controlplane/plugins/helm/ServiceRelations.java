package io.asyncsidecar.controlplane.plugins.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * How Services meet the pods and objects around them: a Service's selector and target ports, the Services an
 * Ingress routes to, a StatefulSet's governing Service, the Services a ServiceMonitor scrapes.
 */
final class ServiceRelations {

    static final String TARGET_PORT = "helm.service-target-port";
    static final String INGRESS_BACKEND = "helm.ingress-backend";
    static final String INGRESS_TLS = "helm.ingress-tls";
    static final String HEADLESS_SERVICE = "helm.statefulset-headless-service";
    static final String SERVICE_MONITOR = "helm.servicemonitor-selector";

    static final List<CheckRule> RULES = List.of(
            new CheckRule(TARGET_PORT, Severity.ERROR,
                    "A Service's targetPort names a port (by name, or by number when the pods declare ports) that a"
                            + " container of the pods it selects declares."),
            new CheckRule(INGRESS_BACKEND, Severity.WARNING,
                    "An Ingress routes to a Service the chart renders, on a port that Service has."),
            new CheckRule(INGRESS_TLS, Severity.WARNING, "An Ingress sets spec.tls."),
            new CheckRule(HEADLESS_SERVICE, Severity.WARNING,
                    "A StatefulSet's serviceName names a headless Service of the chart that selects its pods."),
            new CheckRule(SERVICE_MONITOR, Severity.WARNING,
                    "A ServiceMonitor's selector matches the labels of some Service of the chart."));

    private final RelationChecks rel;
    private final List<WorkloadChecks.Workload> workloads;
    private final List<RenderedObject> objects;
    private final List<RenderedObject> services;

    ServiceRelations(RelationChecks rel, List<WorkloadChecks.Workload> workloads, List<RenderedObject> objects) {
        this.rel = rel;
        this.workloads = workloads;
        this.objects = objects;
        this.services = RelationChecks.ofKind(objects, "Service", "v1");
    }

    void check(List<Finding> findings) {
        checkSelectors(findings);
        for (RenderedObject s : services) {
            checkTargetPorts(s, findings);
        }
        for (RenderedObject i : RelationChecks.ofKind(objects, "Ingress", "networking.k8s.io/", "extensions/")) {
            checkIngress(i, findings);
        }
        for (WorkloadChecks.Workload w : workloads) {
            if ("StatefulSet".equals(w.kind())) {
                checkGoverningService(w, findings);
            }
        }
        for (RenderedObject m : RelationChecks.ofKind(objects, "ServiceMonitor", "monitoring.coreos.com/")) {
            checkServiceMonitor(m, findings);
        }
    }

    private void checkSelectors(List<Finding> findings) {
        if (rel.textual() && workloads.stream().anyMatch(w -> w.podLabels().isEmpty()
                || w.podLabels().toString().contains(TemplateText.UNKNOWN))) {
            return;
        }
        for (RenderedObject s : services) {
            if ("ExternalName".equals(ManifestValues.string(s.manifest(), "spec", "type"))) {
                continue;
            }
            Map<String, Object> selector = ManifestValues.map(s.manifest(), "spec", "selector");
            if (selector.isEmpty() || (rel.textual() && selector.toString().contains(TemplateText.UNKNOWN))) {
                continue;
            }
            if (selected(s).isEmpty()) {
                Map<String, Object> spec = ManifestValues.map(s.manifest(), "spec");
                findings.add(RelationChecks.finding(HelmRules.SERVICE_SELECTOR, Severity.ERROR, s,
                        s.line(spec, "selector"), "spec.selector",
                        "Service/" + s.name() + " selects " + selector + " but no pod template in the chart carries"
                                + " those labels: the Service has no endpoints",
                        "Make spec.selector a subset of the target workload's pod template labels."));
            }
        }
    }

    private void checkTargetPorts(RenderedObject s, List<Finding> findings) {
        Map<String, Object> selector = ManifestValues.map(s.manifest(), "spec", "selector");
        List<WorkloadChecks.Workload> selected = selector.isEmpty() || !rel.judgeable(selector) ? List.of()
                : selected(s);
        if (selected.isEmpty() || selected.stream().anyMatch(w -> rel.unsure(w.object(), w.podSpec()))) {
            return;
        }
        List<Map<String, Object>> declared = new ArrayList<>();
        for (WorkloadChecks.Workload w : selected) {
            for (Map<String, Object> c : containers(w)) {
                declared.addAll(ManifestValues.maps(c, "ports"));
            }
        }
        String pods = String.join(", ", selected.stream().map(WorkloadChecks.Workload::display).toList());
        List<Map<String, Object>> ports = ManifestValues.maps(s.manifest(), "spec", "ports");
        for (int i = 0; i < ports.size(); i++) {
            Map<String, Object> port = ports.get(i);
            boolean explicit = port.get("targetPort") != null;
            Object target = explicit ? port.get("targetPort") : port.get("port");
            if (target == null || !rel.judgeable(target)) {
                continue;
            }
            String key = explicit ? "targetPort" : "port";
            String field = "spec.ports[" + i + "]." + key;
            String subject = "Service/" + s.name() + " port " + Objects.requireNonNullElse(port.get("name"),
                    port.get("port"));
            String text = target.toString();
            if (text.chars().allMatch(Character::isDigit)) {
                boolean exposed = declared.stream().anyMatch(p -> text.equals(String.valueOf(p.get("containerPort"))));
                if (!exposed && !declared.isEmpty()) {
                    findings.add(RelationChecks.finding(TARGET_PORT, Severity.WARNING, s, s.line(port, key), field,
                            subject + " sends traffic to port " + text + ", which no container of " + pods
                                    + " declares (declared: " + describe(declared, "containerPort") + ")",
                            "Set targetPort to a containerPort (or its name) of the selected pods."));
                }
            } else if (declared.stream().noneMatch(p -> text.equals(String.valueOf(p.get("name"))))) {
                findings.add(RelationChecks.finding(TARGET_PORT, Severity.ERROR, s, s.line(port, key), field,
                        subject + " targets the port named '" + text + "', which no container of " + pods
                                + " declares (declared: " + describe(declared, "containerPort") + "): the Service"
                                + " gets no endpoints for it",
                        "Name a container port '" + text + "' or set targetPort to one of the declared names."));
            }
        }
    }

    /**
     * One backend of an Ingress.
     *
     * @param node  the backend map
     * @param path  its field path
     * @param route what it serves, for messages ("its default backend", "example.com/api")
     */
    private record Backend(Map<String, Object> node, String path, String route) {
    }

    private void checkIngress(RenderedObject ingress, List<Finding> findings) {
        Map<String, Object> spec = ManifestValues.map(ingress.manifest(), "spec");
        List<Backend> backends = new ArrayList<>();
        for (String key : List.of("defaultBackend", "backend")) {
            if (ManifestValues.isMap(spec, key)) {
                backends.add(new Backend(ManifestValues.map(spec, key), "spec." + key, "its default backend"));
            }
        }
        List<Map<String, Object>> rules = ManifestValues.maps(spec, "rules");
        for (int r = 0; r < rules.size(); r++) {
            String host = Objects.requireNonNullElse(ManifestValues.string(rules.get(r), "host"), "*");
            List<Map<String, Object>> httpPaths = ManifestValues.maps(rules.get(r), "http", "paths");
            for (int p = 0; p < httpPaths.size(); p++) {
                String path = Objects.requireNonNullElse(ManifestValues.string(httpPaths.get(p), "path"), "/");
                backends.add(new Backend(ManifestValues.map(httpPaths.get(p), "backend"),
                        "spec.rules[" + r + "].http.paths[" + p + "].backend", host + path));
            }
        }
        for (Backend b : backends) {
            checkBackend(ingress, b, findings);
        }
        if (spec.get("tls") == null && !(rel.textual() && (spec.containsKey("tls")
                || ingress.mayHoldGenerated(spec, key -> true)))) {
            findings.add(RelationChecks.finding(INGRESS_TLS, Severity.WARNING, ingress,
                    ingress.line(ingress.manifest(), "spec"), "spec.tls", "Ingress/" + ingress.name()
                            + " sets no spec.tls: it serves its hosts over plain HTTP",
                    "Add spec.tls with the hosts and a certificate Secret (e.g. from cert-manager)."));
        }
    }

    private void checkBackend(RenderedObject ingress, Backend b, List<Finding> findings) {
        Map<String, Object> backend = b.node();
        // networking.k8s.io/v1 nests service.name / service.port.{number,name}; v1beta1 has serviceName/servicePort.
        boolean v1 = backend.containsKey("service");
        Map<String, Object> holder = v1 ? ManifestValues.map(backend, "service") : backend;
        String nameKey = v1 ? "name" : "serviceName";
        String name = ManifestValues.string(holder, nameKey);
        if (name == null || !rel.judgeable(name) || rel.namesUnsure(services, "Service")) {
            return;
        }
        Map<String, Object> portHolder = v1 ? ManifestValues.map(holder, "port") : backend;
        String portKey = v1 ? (portHolder.containsKey("number") ? "number" : "name") : "servicePort";
        Object port = portHolder.get(portKey);
        String base = b.path() + (v1 ? ".service." : ".");
        RenderedObject service = services.stream().filter(s -> name.equals(s.name())
                && WorkloadChecks.sameNamespace(s, ingress)).findFirst().orElse(null);
        String subject = "Ingress/" + ingress.name() + " routes " + b.route();
        if (service == null) {
            findings.add(RelationChecks.finding(INGRESS_BACKEND, Severity.WARNING, ingress,
                    ingress.line(holder, nameKey), base + nameKey, subject + " to Service/" + name
                            + ", which the chart does not render: unless it exists already, requests get 503",
                    "Point the backend at a Service of the chart (same name), or render that Service."));
            return;
        }
        if (port == null || !rel.judgeable(port)) {
            return;
        }
        List<Map<String, Object>> servicePorts = ManifestValues.maps(service.manifest(), "spec", "ports");
        String wanted = port.toString();
        boolean found = servicePorts.stream().anyMatch(p -> wanted.equals(String.valueOf(p.get("port")))
                || wanted.equals(String.valueOf(p.get("name"))));
        if (!found && !rel.unsure(service, ManifestValues.map(service.manifest(), "spec"))) {
            String portField = v1 ? base + "port." + portKey : base + portKey;
            findings.add(RelationChecks.finding(INGRESS_BACKEND, Severity.ERROR, ingress,
                    ingress.line(portHolder, portKey), portField, subject + " to port " + wanted + " of Service/"
                            + name + ", which has no such port (ports: " + describe(servicePorts, "port") + ")",
                    "Use one of the Service's port numbers or names."));
        }
    }

    private void checkGoverningService(WorkloadChecks.Workload w, List<Finding> findings) {
        Map<String, Object> spec = ManifestValues.map(w.object().manifest(), "spec");
        String serviceName = ManifestValues.string(spec, "serviceName");
        String remediation = "Render a headless Service (clusterIP: None) selecting the StatefulSet's pods and name"
                + " it in spec.serviceName.";
        if (serviceName == null || serviceName.isBlank()) {
            if (!rel.unknown(w, spec, "serviceName")) {
                findings.add(RelationChecks.finding(HEADLESS_SERVICE, Severity.WARNING, w.object(),
                        w.object().line(w.object().manifest(), "spec"), "spec.serviceName", w.display()
                                + " sets no spec.serviceName: its pods get no stable network identity", remediation));
            }
            return;
        }
        if (!rel.judgeable(serviceName) || rel.namesUnsure(services, "Service")) {
            return;
        }
        RenderedObject service = services.stream().filter(s -> serviceName.equals(s.name())
                && WorkloadChecks.sameNamespace(s, w.object())).findFirst().orElse(null);
        String problem;
        if (service == null) {
            problem = "which the chart does not render";
        } else if (!"None".equals(ManifestValues.string(service.manifest(), "spec", "clusterIP"))) {
            problem = "which is not headless (spec.clusterIP is not None)";
        } else if (selected(service).stream().noneMatch(x -> x.object() == w.object())) {
            problem = "whose selector " + ManifestValues.map(service.manifest(), "spec", "selector")
                    + " does not select the StatefulSet's pods";
        } else {
            return;
        }
        if (service != null && rel.unsure(service, ManifestValues.map(service.manifest(), "spec"))) {
            return;
        }
        findings.add(RelationChecks.finding(HEADLESS_SERVICE, Severity.WARNING, w.object(),
                w.object().line(spec, "serviceName"), "spec.serviceName", w.display() + " names Service '"
                        + serviceName + "', " + problem + ": its pods get no stable DNS names", remediation));
    }

    private void checkServiceMonitor(RenderedObject monitor, List<Finding> findings) {
        Map<String, Object> spec = ManifestValues.map(monitor.manifest(), "spec");
        Map<String, Object> selector = ManifestValues.map(spec, "selector");
        if (RelationChecks.emptySelector(selector)) {
            // An empty selector takes every Service of the namespaces it looks in.
            return;
        }
        if (rel.unsure(monitor, spec) || services.stream().anyMatch(s -> rel.unsure(s,
                ManifestValues.map(s.manifest(), "metadata")))) {
            return;
        }
        Map<String, Object> namespaces = ManifestValues.map(spec, "namespaceSelector");
        boolean any = ManifestValues.bool(namespaces, "any").orElse(false);
        List<String> names = RelationChecks.strings(namespaces, "matchNames");
        boolean matched = services.stream().filter(s -> any || (names.isEmpty()
                ? WorkloadChecks.sameNamespace(s, monitor) : s.namespace() == null || names.contains(s.namespace())))
                .anyMatch(s -> WorkloadChecks.selects(selector, ManifestValues.map(s.manifest(), "metadata",
                        "labels")));
        if (!matched) {
            findings.add(RelationChecks.finding(SERVICE_MONITOR, Severity.WARNING, monitor, monitor.line(spec,
                    "selector"), "spec.selector", "ServiceMonitor/" + monitor.name() + " selects Services labelled "
                            + selector + " but no Service of the chart"
                            + (names.isEmpty() || any ? "" : " in " + names) + " carries those labels: Prometheus"
                            + " scrapes nothing",
                    "Make spec.selector match the metadata.labels of the Service that exposes the metrics port."));
        }
    }

    /** The chart's workloads in the Service's namespace whose pod labels hold all of its selector. */
    private List<WorkloadChecks.Workload> selected(RenderedObject service) {
        Map<String, Object> selector = ManifestValues.map(service.manifest(), "spec", "selector");
        if (selector.isEmpty()) {
            return List.of();
        }
        return workloads.stream().filter(w -> WorkloadChecks.sameNamespace(service, w.object())
                && WorkloadChecks.containsAll(w.podLabels(), selector)).toList();
    }

    /** Containers and init containers (native sidecars serve ports from there). */
    static List<Map<String, Object>> containers(WorkloadChecks.Workload w) {
        List<Map<String, Object>> all = new ArrayList<>(ManifestValues.maps(w.podSpec(), "containers"));
        all.addAll(ManifestValues.maps(w.podSpec(), "initContainers"));
        return all;
    }

    /** "http/8080, 9090": each port as name/number, or the number alone. */
    private static String describe(List<Map<String, Object>> ports, String numberKey) {
        return ports.isEmpty() ? "none" : String.join(", ", ports.stream().map(p -> p.get("name") == null
                ? String.valueOf(p.get(numberKey)) : p.get("name") + "/" + p.get(numberKey)).toList());
    }
}
