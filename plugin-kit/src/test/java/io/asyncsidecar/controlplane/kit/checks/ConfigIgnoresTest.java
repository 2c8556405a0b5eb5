package io.asyncsidecar.controlplane.kit.checks;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ResourceBundle;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;
import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.config.spi.ConfigNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code plugins.<id>.ignore}: reading the entries (YAML lists and flat numbered keys), refusing bad ones with
 * their index and value, and matching findings by check, object pattern and container.
 */
class ConfigIgnoresTest {

    private static final String KEY = "plugins.helm.ignore";
    private static final ObjectRef EXPLAINER = new ObjectRef("apps/v1", "Deployment", "default",
            "hypergraph-explainer");
    private static final ObjectRef GATEWAY = new ObjectRef("apps/v1", "Deployment", "default", "hypergraph-gateway");
    private static final ObjectRef UNSET_NS = new ObjectRef("apps/v1", "Deployment", null, "hypergraph-explainer");
    private static final ObjectRef NODE_CLASS = new ObjectRef("karpenter.k8s.aws/v1", "EC2NodeClass", null, "gpu");

    /** A config tree as YAML would give it: maps are objects, lists are lists, the rest values. */
    private static ConfigNode node(Object value) {
        if (value instanceof Map<?, ?> m) {
            ConfigNode.ObjectNode.Builder b = ConfigNode.ObjectNode.builder();
            m.forEach((k, v) -> b.addNode(String.valueOf(k), node(v)));
            return b.build();
        }
        if (value instanceof List<?> l) {
            ConfigNode.ListNode.Builder b = ConfigNode.ListNode.builder();
            for (Object v : l) {
                ConfigNode n = node(v);
                switch (n) {
                    case ConfigNode.ObjectNode o -> b.addObject(o);
                    case ConfigNode.ListNode ln -> b.addList(ln);
                    case ConfigNode.ValueNode vn -> b.addValue(vn);
                    default -> throw new IllegalArgumentException(String.valueOf(n));
                }
            }
            return b.build();
        }
        return ConfigNode.ValueNode.create(String.valueOf(value));
    }

    private static Config yaml(Object ignore) {
        ConfigNode.ObjectNode root = ConfigNode.ObjectNode.builder().addNode("ignore", node(ignore)).build();
        return Config.just(ConfigSources.create(root)).get("ignore");
    }

    private static ConfigIgnores read(Object ignore) {
        return ConfigIgnores.from(yaml(ignore), KEY);
    }

    private static Map<String, Object> entry(String... keyValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put(keyValues[i], keyValues[i + 1]);
        }
        return m;
    }

    private static Finding finding(String check, ObjectRef object, String container) {
        return Finding.of(check, Severity.WARNING, object, "t.yaml", 7, "m", null).withContainer(container);
    }

    private static String failure(Object ignore) {
        try {
            read(ignore);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("no failure for " + ignore);
    }

    @Test
    void readsAYamlList() {
        ConfigIgnores ignores = read(List.of(
                entry("check", "helm.image-tag-pinned", "object", "Deployment/default/hypergraph-explainer",
                        "container", "sidecar", "reason", "vendor image"),
                Map.of("check", "helm.*", "object", "*/*/hypergraph-*", "container", List.of("a", "b"),
                        "reason", "r2"),
                entry("check", "karpenter.ami-pinned", "reason", " r3 ")));
        assertThat(ignores.entries()).hasSize(3);
        ConfigIgnores.Entry first = ignores.entries().getFirst();
        assertThat(first.check()).isEqualTo("helm.image-tag-pinned");
        assertThat(first.object()).isEqualTo(new ConfigIgnores.ObjectPattern("Deployment", "default",
                "hypergraph-explainer"));
        assertThat(first.containers()).containsExactly("sidecar");
        assertThat(first.reason()).isEqualTo("vendor image");
        assertThat(ignores.entries().get(1).containers()).containsExactly("a", "b");
        assertThat(ignores.entries().get(2).object()).isNull();
        assertThat(ignores.entries().get(2).containers()).isNull();
        assertThat(ignores.entries().get(2).reason()).isEqualTo("r3");
    }

    @Test
    void readsNumberedKeysAsAList() {
        Map<String, String> flat = new HashMap<>();
        for (int i = 0; i < 11; i++) {
            flat.put("ignore." + i + ".check", "c" + i);
            flat.put("ignore." + i + ".reason", "r" + i);
        }
        flat.put("ignore.10.container.0", "x");
        ConfigIgnores ignores = ConfigIgnores.from(Config.just(ConfigSources.create(flat)).get("ignore"), KEY);
        assertThat(ignores.entries()).extracting(ConfigIgnores.Entry::check)
                .containsExactly("c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9", "c10");
        assertThat(ignores.entries().get(10).containers()).containsExactly("x");
    }

    @Test
    void nothingConfiguredIsNoIgnores() {
        assertThat(ConfigIgnores.from(Config.empty().get("ignore"), KEY).isEmpty()).isTrue();
        assertThat(read(List.of()).isEmpty()).isTrue();
        assertThat(read("").isEmpty()).isTrue();
        Finding f = finding("helm.pdb", EXPLAINER, null);
        assertThat(ConfigIgnores.none().apply(f)).isSameAs(f);
    }

    @Test
    void badEntriesNameTheirIndexAndValue() {
        Map<String, Object> ok = entry("check", "helm.pdb", "reason", "r");
        assertThat(failure(List.of(ok, entry("reason", "r"))))
                .startsWith("plugins.helm.ignore[1].check is missing");
        assertThat(failure(List.of(entry("check", "  ", "reason", "r"))))
                .startsWith("plugins.helm.ignore[0].check is missing");
        assertThat(failure(List.of(entry("check", "helm pdb", "reason", "r"))))
                .isEqualTo("plugins.helm.ignore[0].check: 'helm pdb' is not a check id (e.g. helm.image-tag-pinned;"
                        + " '*' matches any run of characters)");
        assertThat(failure(List.of(ok, ok, entry("check", "helm.pdb"))))
                .startsWith("plugins.helm.ignore[2].reason is missing").contains("helm.pdb");
        assertThat(failure(List.of(entry("check", "helm.pdb", "reason", ""))))
                .startsWith("plugins.helm.ignore[0].reason is missing");
        for (String bad : List.of("Deployment/hypergraph-explainer", "Deployment/default/x/y", "/default/x",
                "Deployment/default/", "Deployment", "Deploy ment/default/x")) {
            assertThat(failure(List.of(ok, entry("check", "helm.pdb", "object", bad, "reason", "r")))).as(bad)
                    .startsWith("plugins.helm.ignore[1].object: '" + bad + "' is not kind/namespace/name");
        }
        assertThat(failure(List.of(entry("check", "helm.pdb", "object", "", "reason", "r"))))
                .startsWith("plugins.helm.ignore[0].object is empty");
        assertThat(failure(List.of(entry("check", "helm.pdb", "objekt", "Deployment/a/b", "reason", "r"))))
                .isEqualTo("plugins.helm.ignore[0]: unknown key 'objekt' (known: check, object, container, reason)");
        assertThat(failure(List.of(entry("check", "helm.pdb", "container", "", "reason", "r"))))
                .isEqualTo("plugins.helm.ignore[0].container: '' is not a container name");
        assertThat(failure(List.of(Map.of("check", "helm.pdb", "container", List.of("a", " "), "reason", "r"))))
                .isEqualTo("plugins.helm.ignore[0].container[1]: '' is not a container name");
        assertThat(failure(List.of(Map.of("check", List.of("a", "b"), "reason", "r"))))
                .isEqualTo("plugins.helm.ignore[0].check must be a single value, got a list");
        assertThat(failure(List.of("helm.pdb")))
                .isEqualTo("plugins.helm.ignore[0] must be an object with check, object, container, reason,"
                        + " got 'helm.pdb'");
        assertThat(failure("helm.pdb"))
                .isEqualTo("plugins.helm.ignore must be a list of {check, object, container, reason} entries, got"
                        + " 'helm.pdb'");
        assertThat(failure(entry("check", "helm.pdb", "reason", "r")))
                .startsWith("plugins.helm.ignore must be a list").contains("an object with");
    }

    @Test
    void objectPatterns() {
        ConfigIgnores.ObjectPattern exact =
                ConfigIgnores.ObjectPattern.parse("Deployment/default/hypergraph-explainer");
        assertThat(exact.matches(EXPLAINER)).isTrue();
        assertThat(exact.matches(GATEWAY)).isFalse();
        assertThat(exact.matches(UNSET_NS)).as("a namespace named must be set").isFalse();
        assertThat(exact.matches(new ObjectRef("apps/v1", "StatefulSet", "default", "hypergraph-explainer")))
                .isFalse();
        assertThat(exact.matches(null)).isFalse();
        assertThat(exact).hasToString("Deployment/default/hypergraph-explainer");

        ConfigIgnores.ObjectPattern anyNs = ConfigIgnores.ObjectPattern.parse("Deployment/*/hypergraph-explainer");
        assertThat(anyNs.matches(EXPLAINER)).isTrue();
        assertThat(anyNs.matches(UNSET_NS)).isTrue();

        ConfigIgnores.ObjectPattern noNs = ConfigIgnores.ObjectPattern.parse("EC2NodeClass//gpu");
        assertThat(noNs.namespace()).isEmpty();
        assertThat(noNs.matches(NODE_CLASS)).isTrue();
        assertThat(noNs.matches(new ObjectRef("v1", "EC2NodeClass", "default", "gpu"))).isFalse();

        ConfigIgnores.ObjectPattern globs = ConfigIgnores.ObjectPattern.parse("*/def*/hypergraph-*");
        assertThat(globs.matches(EXPLAINER)).isTrue();
        assertThat(globs.matches(GATEWAY)).isTrue();
        assertThat(globs.matches(UNSET_NS)).isFalse();
        assertThat(globs.matches(new ObjectRef("v1", "Service", "default", "other"))).isFalse();
    }

    @Test
    void matchingByCheckObjectAndContainer() {
        ConfigIgnores ignores = read(List.of(
                entry("check", "helm.image-tag-pinned", "object", "Deployment/default/hypergraph-explainer",
                        "container", "sidecar", "reason", "vendor sidecar"),
                entry("check", "helm.readiness-*", "object", "Deployment/*/hypergraph-*", "reason", "rollout"),
                entry("check", "yaml.parse-error", "reason", "generated file")));

        Finding sidecar = ignores.apply(finding("helm.image-tag-pinned", EXPLAINER, "sidecar"));
        assertThat(sidecar.ignoredReason()).isEqualTo("vendor sidecar");
        assertThat(sidecar.ignoredSource()).isEqualTo(ConfigIgnores.SOURCE);
        assertThat(sidecar.container()).isEqualTo("sidecar");
        assertThat(ignores.apply(finding("helm.image-tag-pinned", EXPLAINER, "explainer")).ignored()).isFalse();
        assertThat(ignores.apply(finding("helm.image-tag-pinned", EXPLAINER, null)).ignored())
                .as("an entry naming a container leaves findings about the whole object").isFalse();
        assertThat(ignores.apply(finding("helm.image-tag-pinned", GATEWAY, "sidecar")).ignored()).isFalse();

        assertThat(ignores.apply(finding("helm.readiness-probe", GATEWAY, "gateway")).ignoredReason())
                .isEqualTo("rollout");
        assertThat(ignores.apply(finding("helm.readiness-probe", UNSET_NS, null)).ignored()).isTrue();
        assertThat(ignores.apply(finding("helm.readiness-probe", null, null)).ignored())
                .as("an object pattern never matches a file-level finding").isFalse();
        assertThat(ignores.apply(finding("helm.liveness-probe", GATEWAY, "gateway")).ignored()).isFalse();

        assertThat(ignores.apply(finding("yaml.parse-error", null, null)).ignoredReason())
                .as("an entry without object covers file-level findings too").isEqualTo("generated file");
        assertThat(ignores.apply(finding("yaml.parse-error", GATEWAY, null)).ignored()).isTrue();
    }

    @Test
    void theFirstMatchingEntryWinsAndAnnotationIgnoresStay() {
        ConfigIgnores ignores = read(List.of(
                entry("check", "helm.pdb", "object", "Deployment/default/hypergraph-explainer", "reason", "first"),
                entry("check", "helm.pdb", "reason", "second")));
        assertThat(ignores.apply(finding("helm.pdb", EXPLAINER, null)).ignoredReason()).isEqualTo("first");
        assertThat(ignores.apply(finding("helm.pdb", GATEWAY, null)).ignoredReason()).isEqualTo("second");
        Finding annotated = finding("helm.pdb", EXPLAINER, null).ignore("annotated", IgnoreAnnotations.SOURCE);
        assertThat(ignores.apply(annotated)).isSameAs(annotated);

        List<Finding> all = ignores.apply(List.of(finding("helm.pdb", EXPLAINER, null),
                finding("helm.resources", EXPLAINER, "explainer")));
        CheckReport report = CheckReport.of(all, "yaml", false, 1);
        assertThat(report.active()).extracting(Finding::checkId).containsExactly("helm.resources");
        Map<String, Object> ignored = report.toJson(Map.of()).entrySet().stream()
                .filter(e -> e.getKey().equals("ignored")).map(e -> ((List<?>) e.getValue()).getFirst())
                .map(o -> (Map<?, ?>) o).findFirst().map(m -> {
                    Map<String, Object> copy = new LinkedHashMap<>();
                    m.forEach((k, v) -> copy.put(String.valueOf(k), v));
                    return copy;
                }).orElseThrow();
        assertThat(ignored).containsEntry("ignored_reason", "first").containsEntry("ignored_source", "config")
                .doesNotContainKey("container");
        @SuppressWarnings("unchecked")
        Map<String, Object> active = ((List<Map<String, Object>>) report.toJson(Map.of()).get("findings")).getFirst();
        assertThat(active).containsEntry("container", "explainer").doesNotContainKeys("ignored_reason",
                "ignored_source");
        assertThat(new ArrayList<>(active.keySet())).containsExactly("check", "severity", "object", "container",
                "file", "line", "message", "remediation");
    }

    @Test
    void thePluginsIgnoresAreReadFromItsConfigAndUnknownChecksLogged() {
        Config config = Config.just(ConfigSources.create(ConfigNode.ObjectNode.builder()
                .addNode("ignore", node(List.of(entry("check", "test.a", "reason", "r"),
                        entry("check", "test.typo", "reason", "r"), entry("check", "test.*", "reason", "r"))))
                .build()));
        List<String> warnings = new ArrayList<>();
        ConfigIgnores ignores = ConfigIgnores.of(plugin(), context(config, warnings),
                List.of(new CheckRule("test.a", Severity.WARNING, "a holds")));
        assertThat(ignores.entries()).hasSize(3);
        assertThat(warnings).containsExactly("plugins.test.ignore[1].check: 'test.typo' is none of the 1 checks test"
                + " knows (its rules)");

        Config bad = Config.just(ConfigSources.create(ConfigNode.ObjectNode.builder()
                .addNode("ignore", node(List.of(entry("check", "test.a")))).build()));
        assertThatThrownBy(() -> CheckEndpoint.of(plugin(), context(bad, warnings), List.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("plugins.test.ignore[0].reason is missing");
        assertThat(CheckEndpoint.of(plugin(), context(config, new ArrayList<>()), List.of()).ignores().entries())
                .hasSize(3);
    }

    @Test
    void findingsKeepTheirOlderShape() {
        Finding old = new Finding("c", Severity.INFO, null, null, 0, "m", null, "why");
        assertThat(old.container()).isNull();
        assertThat(old.ignoredSource()).isNull();
        assertThat(old.toJson()).containsEntry("ignored_reason", "why").doesNotContainKeys("container",
                "ignored_source");
        assertThat(Finding.of("c", Severity.INFO, null, null, 0, "m", null).ignore("why")).isEqualTo(old);
        Finding f = Finding.of("c", Severity.INFO, null, null, 0, "m", null).withContainer(" ");
        assertThat(f.container()).isNull();
        assertThat(f.ignore("r", "config").withContainer("app").ignoredSource()).isEqualTo("config");
        assertThat(new Finding("c", Severity.INFO, null, null, 0, "m", null, null, "app", "config").ignoredSource())
                .as("an active finding has no ignore source").isNull();
    }

    private static Plugin plugin() {
        return new Plugin() {
            @Override
            public String id() {
                return "test";
            }

            @Override
            public void init(PluginContext context) {
            }

            @Override
            public void routes(PluginRoutes routes) {
            }
        };
    }

    private static PluginContext context(Config config, List<String> warnings) {
        System.Logger logger = new System.Logger() {
            @Override
            public String getName() {
                return "test";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                warnings.add(msg);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                if (level == Level.WARNING) {
                    warnings.add(format);
                }
            }

            @Override
            public void log(Level level, Supplier<String> msgSupplier) {
                if (level == Level.WARNING) {
                    warnings.add(msgSupplier.get());
                }
            }
        };
        return new PluginContext() {
            @Override
            public Config config() {
                return config;
            }

            @Override
            public Path workspace() {
                return Path.of("").toAbsolutePath();
            }

            @Override
            public Path dataDirectory() {
                return Path.of("target");
            }

            @Override
            public System.Logger logger() {
                return logger;
            }

            @Override
            public ExecutorService executor() {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServiceRegistry services() {
                return null;
            }
        };
    }
}
