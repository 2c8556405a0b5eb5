package io.asyncsidecar.controlplane.kit.checks;

import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.ObjectRef;
import io.asyncsidecar.controlplane.spi.checks.Severity;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The annotation value's syntax (a plain reason, or {@code containers=a,b; reason}) and which findings it covers.
 */
class IgnoreAnnotationsTest {

    private static final String CHECK = "helm.image-tag-pinned";
    private static final ObjectRef WEB = new ObjectRef("apps/v1", "Deployment", "default", "web");

    private static Map<String, Object> annotated(String value) {
        Map<String, Object> annotations = new java.util.HashMap<>();
        annotations.put(IgnoreAnnotations.PREFIX + CHECK, value);
        return Map.of("metadata", Map.of("name", "web", "annotations", annotations));
    }

    private static Finding finding(String container) {
        return Finding.of(CHECK, Severity.WARNING, WEB, "t.yaml", 3, "image 'x:latest'", null)
                .withContainer(container);
    }

    @Test
    void aPlainValueIsTheReasonUnchangedAndCoversTheWholeObject() {
        IgnoreAnnotations.Ignore i = IgnoreAnnotations.parse("vendor image; pinned upstream: see OPS-9 ");
        assertThat(i.reason()).isEqualTo("vendor image; pinned upstream: see OPS-9 ");
        assertThat(i.containers()).isNull();
        assertThat(i.wholeObject()).isTrue();
        assertThat(i.covers(null)).isTrue();
        assertThat(i.covers("sidecar")).isTrue();
        // "containers" not followed by "=" is just words
        assertThat(IgnoreAnnotations.parse("containers are vendored").wholeObject()).isTrue();
        assertThat(IgnoreAnnotations.parse("the containers=a list").wholeObject()).isTrue();
        assertThat(IgnoreAnnotations.parse(null).reason()).isEmpty();
        assertThat(IgnoreAnnotations.parse("").wholeObject()).isTrue();
    }

    @Test
    void aValueStartingWithContainersListsNamesUpToTheSemicolon() {
        IgnoreAnnotations.Ignore i = IgnoreAnnotations.parse("containers=sidecar,init-db; reason: vendor image");
        assertThat(i.containers()).containsExactly("sidecar", "init-db");
        assertThat(i.reason()).isEqualTo("vendor image");
        assertThat(i.covers("sidecar")).isTrue();
        assertThat(i.covers("init-db")).isTrue();
        assertThat(i.covers("app")).isFalse();
        assertThat(i.covers(null)).as("a finding about the object as a whole").isFalse();

        IgnoreAnnotations.Ignore spaced =
                IgnoreAnnotations.parse("  containers = sidecar , init-db ;vendor; see OPS-9");
        assertThat(spaced.containers()).containsExactly("sidecar", "init-db");
        assertThat(spaced.reason()).as("only the first ';' ends the names").isEqualTo("vendor; see OPS-9");
        assertThat(IgnoreAnnotations.parse("containers=sidecar;Reason:  mesh proxy").reason()).isEqualTo("mesh proxy");
        assertThat(IgnoreAnnotations.parse("containers=sidecar; the reason: mesh").reason())
                .isEqualTo("the reason: mesh");
    }

    @Test
    void namesWithoutAReasonAndPatterns() {
        IgnoreAnnotations.Ignore noReason = IgnoreAnnotations.parse("containers=sidecar");
        assertThat(noReason.containers()).containsExactly("sidecar");
        assertThat(noReason.reason()).isEmpty();
        assertThat(finding("sidecar").ignore(noReason.reason()).ignoredReason()).isEqualTo("(no reason given)");

        IgnoreAnnotations.Ignore glob = IgnoreAnnotations.parse("containers=istio-*,*-exporter; mesh");
        assertThat(glob.covers("istio-proxy")).isTrue();
        assertThat(glob.covers("node-exporter")).isTrue();
        assertThat(glob.covers("app")).isFalse();
    }

    @Test
    void aListNamingNothingIgnoresNothing() {
        for (String v : List.of("containers=", "containers=; vendor image", "containers= , ;x")) {
            IgnoreAnnotations.Ignore i = IgnoreAnnotations.parse(v);
            assertThat(i.containers()).as(v).isEmpty();
            assertThat(i.covers("sidecar")).as(v).isFalse();
            assertThat(i.covers(null)).as(v).isFalse();
        }
    }

    @Test
    void applyIgnoresOnlyTheNamedContainersFindings() {
        Map<String, Object> manifest = annotated("containers=sidecar; reason: vendor image");
        Finding sidecar = IgnoreAnnotations.apply(finding("sidecar"), manifest);
        assertThat(sidecar.ignored()).isTrue();
        assertThat(sidecar.ignoredReason()).isEqualTo("vendor image");
        assertThat(sidecar.ignoredSource()).isEqualTo(IgnoreAnnotations.SOURCE);
        assertThat(sidecar.container()).isEqualTo("sidecar");
        assertThat(IgnoreAnnotations.apply(finding("app"), manifest).ignored()).isFalse();
        assertThat(IgnoreAnnotations.apply(finding(null), manifest).ignored()).isFalse();
        // another check's finding is not touched
        Finding other = Finding.of("helm.resources", Severity.WARNING, WEB, "t.yaml", 3, "m", null)
                .withContainer("sidecar");
        assertThat(IgnoreAnnotations.apply(other, manifest).ignored()).isFalse();
    }

    @Test
    void aPlainAnnotationStillIgnoresEveryFindingOfTheObject() {
        Map<String, Object> manifest = annotated("model cache is written at start-up");
        for (String container : new String[] {"app", "sidecar", null}) {
            Finding f = IgnoreAnnotations.apply(finding(container), manifest);
            assertThat(f.ignoredReason()).isEqualTo("model cache is written at start-up");
            assertThat(f.ignoredSource()).isEqualTo("annotation");
        }
        assertThat(IgnoreAnnotations.reason(manifest, CHECK)).contains("model cache is written at start-up");
        assertThat(IgnoreAnnotations.reason(annotated("containers=a; why"), CHECK)).contains("why");
        assertThat(IgnoreAnnotations.reason(Map.of("metadata", Map.of()), CHECK)).isEmpty();
        assertThat(IgnoreAnnotations.reason(null, CHECK)).isEmpty();
        Map<String, Object> empty = annotated(null);
        assertThat(IgnoreAnnotations.apply(finding("app"), empty).ignoredReason()).isEqualTo("(no reason given)");
    }

    @Test
    void anAlreadyIgnoredFindingKeepsItsReason() {
        Finding config = finding("app").ignore("from the config", ConfigIgnores.SOURCE);
        assertThat(IgnoreAnnotations.apply(config, annotated("the annotation's"))).isSameAs(config);
    }

    @Test
    void globs() {
        assertThat(Glob.matches("*", null)).isTrue();
        assertThat(Glob.matches("a", null)).isFalse();
        assertThat(Glob.matches("hypergraph-*", "hypergraph-explainer")).isTrue();
        assertThat(Glob.matches("hypergraph-*", "hypergraph-")).isTrue();
        assertThat(Glob.matches("hypergraph-*", "hypergraph")).isFalse();
        assertThat(Glob.matches("*-explainer", "hypergraph-explainer")).isTrue();
        assertThat(Glob.matches("h*p*r", "hyper")).isTrue();
        assertThat(Glob.matches("a*a", "a")).isFalse();
        assertThat(Glob.matches("a*a", "aa")).isTrue();
        assertThat(Glob.matches("helm.*", "helm.pdb")).isTrue();
        assertThat(Glob.matches("helm.*", "keda.x")).isFalse();
        assertThat(Glob.matches("Deployment", "deployment")).as("case-sensitive").isFalse();
        assertThat(Glob.matches("a.b", "axb")).as("only * is special").isFalse();
    }
}
