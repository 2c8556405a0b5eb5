package io.asyncsidecar.controlplane.plugins.helm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import io.asyncsidecar.controlplane.kit.ConfigLists;
import io.asyncsidecar.controlplane.kit.checks.IgnoreAnnotations;
import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;
import io.helidon.config.Config;

/**
 * The checks on one workload's pod spec and its containers: security context, host access, resources, ports
 * and probes, environment, images, scheduling, lifecycle, service account, and the few checks on a single other
 * object (Service type, ConfigMap content, required labels) that share their helpers. They are our equivalents of
 * the kube-linter, Polaris and kube-score checks on one object; each family of rules is a class of its own
 * ({@link PodSpecSecurity}, {@link PodSpecVolumes}, {@link PodSpecResources}, {@link PodSpecPorts},
 * {@link PodSpecEnv}, {@link PodSpecImages}, {@link PodSpecScheduling}, {@link PodSpecLifecycle},
 * {@link PodSpecIdentity}, {@link PodSpecObjects}) and this class walks the workloads and makes the findings.
 *
 * <p>On a textual reading a rule that reports a missing field stays silent when the field may come from a
 * template action that was taken out ({@link #mayBeGenerated}), and a rule that judges a value stays silent when
 * only rendering knows it ({@link #judgeable}).
 */
final class PodSpecChecks {

    /** The rules of this group. */
    static final List<CheckRule> RULES = Stream.of(PodSpecSecurity.RULES, PodSpecVolumes.RULES,
                    PodSpecResources.RULES, PodSpecPorts.RULES, PodSpecEnv.RULES, PodSpecImages.RULES,
                    PodSpecScheduling.RULES, PodSpecLifecycle.RULES, PodSpecIdentity.RULES, PodSpecObjects.RULES)
            .flatMap(List::stream).toList();

    /**
     * What the pod-spec checks are configured with.
     *
     * @param allowedRegistries   registries (or registry/path prefixes, {@code *} matching any run of characters)
     *                            images may come from ({@code allowed-registries}); empty: any
     * @param requiredLabels      labels every object must carry ({@code required-labels}); empty: none
     * @param requiredAnnotations annotations every object must carry ({@code required-annotations}); empty: none
     */
    record Settings(List<String> allowedRegistries, List<RequiredKey> requiredLabels,
                    List<RequiredKey> requiredAnnotations) {

        /** The defaults: every rule with a list to configure is off. */
        static final Settings DEFAULTS = new Settings(List.of(), List.of(), List.of());

        Settings {
            allowedRegistries = List.copyOf(allowedRegistries);
            requiredLabels = List.copyOf(requiredLabels);
            requiredAnnotations = List.copyOf(requiredAnnotations);
        }

        /**
         * Reads the settings.
         *
         * @param config the {@code plugins.helm} subtree (may be missing)
         * @return the settings
         * @throws IllegalArgumentException naming the key of an invalid value
         */
        static Settings from(Config config) {
            return new Settings(ConfigLists.strings(config.get("allowed-registries"), "plugins.helm.allowed-registries"),
                    ConfigLists.strings(config.get("required-labels"), "plugins.helm.required-labels").stream()
                            .map(t -> RequiredKey.parse(t, "plugins.helm.required-labels")).toList(),
                    ConfigLists.strings(config.get("required-annotations"), "plugins.helm.required-annotations").stream()
                            .map(t -> RequiredKey.parse(t, "plugins.helm.required-annotations")).toList());
        }
    }

    /**
     * A label or annotation an object must carry.
     *
     * @param key   its key
     * @param value the pattern its value must match as a whole, or null when any non-empty value will do
     */
    record RequiredKey(String key, Pattern value) {

        /**
         * Reads {@code key} or {@code key=regex}.
         *
         * @param text   the configured text
         * @param option the config key, for messages
         * @return the requirement
         * @throws IllegalArgumentException naming the option and the bad text
         */
        static RequiredKey parse(String text, String option) {
            int eq = text.indexOf('=');
            String key = (eq < 0 ? text : text.substring(0, eq)).strip();
            if (key.isEmpty()) {
                throw new IllegalArgumentException(option + ": '" + text + "' names no key (key or key=regex)");
            }
            if (eq < 0) {
                return new RequiredKey(key, null);
            }
            try {
                return new RequiredKey(key, Pattern.compile(text.substring(eq + 1).strip()));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(option + ": '" + text + "' has an invalid value pattern: "
                        + e.getDescription(), e);
            }
        }

        /** @return what the requirement asks, for messages */
        String shown() {
            return value == null ? key : key + " matching " + value.pattern();
        }
    }

    /**
     * A workload's pod spec and where it sits in the manifest.
     *
     * @param workload the workload
     * @param path     the pod spec's field path, e.g. {@code spec.template.spec}
     */
    record Pod(WorkloadChecks.Workload workload, String path) {

        RenderedObject object() {
            return workload.object();
        }

        Map<String, Object> spec() {
            return workload.podSpec();
        }

        String kind() {
            return workload.kind();
        }

        String display() {
            return workload.display();
        }

        Map<String, Object> security() {
            return ManifestValues.map(spec(), "securityContext");
        }

        /** @return the containers, then the init containers, each with its position */
        List<Container> containers() {
            List<Container> all = new ArrayList<>();
            List<Map<String, Object>> regular = ManifestValues.maps(spec(), "containers");
            for (int i = 0; i < regular.size(); i++) {
                all.add(new Container(this, regular.get(i), false, i));
            }
            List<Map<String, Object>> init = ManifestValues.maps(spec(), "initContainers");
            for (int i = 0; i < init.size(); i++) {
                all.add(new Container(this, init.get(i), true, i));
            }
            return all;
        }
    }

    /**
     * One container of a pod spec.
     *
     * @param pod   the pod
     * @param spec  the container's mapping
     * @param init  whether it is an init container
     * @param index its position in its list
     */
    record Container(Pod pod, Map<String, Object> spec, boolean init, int index) {

        /** @return the container's name, or null */
        String name() {
            return ManifestValues.string(spec, "name");
        }

        /** @return e.g. {@code spec.template.spec.initContainers[1]} */
        String path() {
            return pod.path() + (init ? ".initContainers[" : ".containers[") + index + "]";
        }

        /** @return e.g. {@code container 'app' of Deployment/web}, for messages */
        String subject() {
            return (init ? "init container '" : "container '") + Objects.requireNonNullElse(name(), "?") + "' of "
                    + pod.display();
        }

        Map<String, Object> security() {
            return ManifestValues.map(spec, "securityContext");
        }
    }

    /** The ids helm.resources was split into; an ignore naming helm.resources still covers them. */
    private static final Set<String> RESOURCES_SPLIT = Set.of(PodSpecResources.CPU_REQUEST.id(),
            PodSpecResources.CPU_LIMIT.id(), PodSpecResources.MEMORY_REQUEST.id(),
            PodSpecResources.MEMORY_LIMIT.id());
    private static final String RESOURCES_LEGACY = "helm.resources";

    private final WorkloadChecks owner;
    private final Settings settings;
    private List<RenderedObject> objects = List.of();
    private List<Finding> findings = new ArrayList<>();

    PodSpecChecks(WorkloadChecks owner, Settings settings) {
        this.owner = owner;
        this.settings = settings;
    }

    void check(List<WorkloadChecks.Workload> workloads, List<RenderedObject> objects, List<Finding> findings) {
        this.objects = List.copyOf(objects);
        this.findings = findings;
        PodSpecSecurity security = new PodSpecSecurity(this);
        PodSpecVolumes volumes = new PodSpecVolumes(this);
        PodSpecResources resources = new PodSpecResources(this);
        PodSpecPorts ports = new PodSpecPorts(this);
        PodSpecEnv env = new PodSpecEnv(this);
        PodSpecImages images = new PodSpecImages(this, settings.allowedRegistries());
        PodSpecScheduling scheduling = new PodSpecScheduling(this);
        PodSpecLifecycle lifecycle = new PodSpecLifecycle(this);
        PodSpecIdentity identity = new PodSpecIdentity(this);
        for (WorkloadChecks.Workload w : workloads) {
            Pod pod = new Pod(w, "CronJob".equals(w.kind()) ? "spec.jobTemplate.spec.template.spec"
                    : "spec.template.spec");
            security.check(pod);
            volumes.check(pod);
            scheduling.check(pod);
            lifecycle.check(pod);
            identity.check(pod);
            for (Container c : pod.containers()) {
                security.check(c);
                resources.check(c);
                ports.check(c);
                env.check(c);
                images.check(c);
            }
        }
        new PodSpecObjects(this, settings).check(this.objects);
        env.checkConfigMaps(this.objects);
    }

    /** @return every object of the chart, for the rules that look beside the workload (Services, ServiceAccounts) */
    List<RenderedObject> objects() {
        return objects;
    }

    /** @return whether the objects come from a textual reading */
    boolean textual() {
        return owner.textual();
    }

    /**
     * Whether a value can be judged: always on a rendering; on a textual reading, unless it holds a value only
     * rendering knows.
     */
    boolean judgeable(Object value) {
        return owner.judgeable(value);
    }

    /**
     * On a textual reading, whether a field's absence may be an artefact of taking the template actions out
     * (a generating action sat inside the node, or the template mentions the field). Always false on a rendering.
     *
     * @param pod   the pod the node belongs to
     * @param node  the map that would hold the field
     * @param field the field's key
     * @return true when its absence must not be reported
     */
    boolean mayBeGenerated(Pod pod, Object node, String field) {
        return owner.unknown(pod.workload(), node, field, key -> true);
    }

    /**
     * Reports a finding about a workload, or one of its containers, with the object's ignore annotation applied.
     *
     * @param rule        the rule (its id and severity)
     * @param object      the object
     * @param container   the container, or null for the object as a whole
     * @param field       the offending (or missing) field's path
     * @param line        the template line
     * @param message     what is wrong, naming object, container and value
     * @param remediation what to do
     */
    void report(CheckRule rule, RenderedObject object, Container container, String field, int line, String message,
                String remediation) {
        report(rule, rule.severity(), object, container, field, line, message, remediation);
    }

    /** {@link #report(CheckRule, RenderedObject, Container, String, int, String, String)} at another severity. */
    void report(CheckRule rule, Severity severity, RenderedObject object, Container container, String field,
                int line, String message, String remediation) {
        String name = container == null ? null : container.name();
        Finding f = WorkloadChecks.finding(name, rule.id(), severity, object, line, message, remediation)
                .withField(field);
        if (!f.ignored() && RESOURCES_SPLIT.contains(rule.id())) {
            Finding finding = f;
            f = IgnoreAnnotations.find(object.manifest(), RESOURCES_LEGACY).filter(i -> i.covers(name))
                    .map(i -> finding.ignore(i.reason(), IgnoreAnnotations.SOURCE)).orElse(f);
        }
        findings.add(f);
    }

    /**
     * The template line of a field, or of the deepest of its parents that exists: the fields {@code keys} are
     * followed down from {@code start} while they are present and hold maps.
     *
     * @param object the object
     * @param start  the map the path starts at (a container, a pod spec, a list item)
     * @param keys   the path below it, e.g. {@code resources, requests, cpu}
     * @return the line of the last key present, or of {@code start} when the first is missing
     */
    static int line(RenderedObject object, Map<?, ?> start, String... keys) {
        Map<?, ?> node = start;
        int line = object.line(start);
        for (String key : keys) {
            if (!node.containsKey(key)) {
                return line;
            }
            line = object.line(node, key);
            if (!(node.get(key) instanceof Map<?, ?> child)) {
                return line;
            }
            node = child;
        }
        return line;
    }

    /** Upper-cased texts of a list, e.g. capability names. */
    static List<String> upper(List<Object> values) {
        return values.stream().map(v -> String.valueOf(v).strip().toUpperCase(java.util.Locale.ROOT)).toList();
    }
}
