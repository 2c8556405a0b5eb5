package io.asyncsidecar.controlplane.kit.cel;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CelEvaluatorTest {

    private final CelEvaluator cel = CelEvaluator.create(List.of("self", "oldSelf", "object"));

    private CelResult eval(String expression, Object self) {
        return cel.compile(expression).evaluate(Map.of("self", self));
    }

    @Test
    void macrosAndExtensionsEvaluateOverYamlValues() {
        Map<String, Object> pool = Map.of("replicas", 3L, "labels", Map.of("a", "x", "b", ""),
                "values", List.of("5"), "alias", "al2023@latest");
        assertThat(eval("has(self.replicas) && self.replicas > 2", pool).isTrue()).isTrue();
        assertThat(eval("self.labels.all(k, self.labels[k] != '')", pool).isFalse()).isTrue();
        assertThat(eval("self.labels.exists_one(k, k == 'a')", pool).isTrue()).isTrue();
        assertThat(eval("int(self.values[0]) >= 0", pool).isTrue()).isTrue();
        assertThat(eval("self.alias.split('@')[0] in ['al2', 'al2023']", pool).isTrue()).isTrue();
        assertThat(eval("self.alias.find('^[^@]+')", pool).value()).isEqualTo("al2023");
        assertThat(eval("self.alias.matches('^[a-z0-9]+@.+$')", pool).isTrue()).isTrue();
        assertThat(eval("self.values.map(v, v + '!')", pool).value()).isEqualTo(List.of("5!"));
        assertThat(eval("[3, 1, 2].max() == 3 && [1, 2].isSorted() && [1, 2, 3].sum() == 6", pool).isTrue())
                .isTrue();
        assertThat(eval("self.?missing.orValue('none')", pool).value()).isEqualTo("none");
        assertThat(eval("1 < 1.5", pool).isTrue()).as("heterogeneous comparison, as Kubernetes").isTrue();
        assertThat(eval("math.greatest([1, 5, 2])", pool).value()).isEqualTo(5L);
    }

    @Test
    void runtimeErrorsAreOutcomes() {
        CelResult missing = eval("self.nope == 1", Map.of("a", 1L));
        assertThat(missing.kind()).isEqualTo(CelResult.Kind.ERROR);
        assertThat(missing.message()).contains("nope");
        CelResult badRegex = eval("'x'.find('(')", Map.of());
        assertThat(badRegex.kind()).isEqualTo(CelResult.Kind.ERROR);
        assertThat(badRegex.message()).contains("invalid regular expression");
    }

    @Test
    void compileErrorsAndUnsupportedLibrariesAreNamed() {
        CelResult syntax = cel.compile("self.a ==").problem();
        assertThat(syntax.kind()).isEqualTo(CelResult.Kind.ERROR);
        assertThat(syntax.message()).startsWith("does not compile");
        CelResult quantity = cel.compile("quantity(self.memory).isGreaterThan(quantity('1Gi'))").problem();
        assertThat(quantity.kind()).isEqualTo(CelResult.Kind.NOT_EVALUATED);
        assertThat(quantity.message()).contains("uses quantity()");
        CelResult url = eval("isURL(self.endpoint)", Map.of("endpoint", "https://x"));
        assertThat(url.kind()).isEqualTo(CelResult.Kind.NOT_EVALUATED);
        assertThat(url.message()).contains("isURL()");
        assertThat(cel.compile("unknownVariable == 1").problem().kind()).isEqualTo(CelResult.Kind.ERROR);
        assertThat(cel.compile("").problem().message()).isEqualTo("empty expression");
    }

    @Test
    void transitionRulesAreRecognised() {
        assertThat(cel.compile("self.kind == oldSelf.kind").references("oldSelf")).isTrue();
        assertThat(cel.compile("self.kind == 'oldSelf'").references("oldSelf")).isFalse();
    }

    @Test
    void aHugeComprehensionStopsAtTheIterationLimit() {
        String ten = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]";
        String nested = ten + ".all(a, " + ten + ".all(b, " + ten + ".all(c, " + ten + ".all(d, " + ten
                + ".all(e, " + ten + ".all(f, a + b + c + d + e + f >= 0))))))";
        CelEvaluator bounded = CelEvaluator.create(List.of("self"),
                new CelEvaluator.Limits(10_000, Duration.ofSeconds(30), 10_000, 16));
        long start = System.nanoTime();
        CelResult r = bounded.compile(nested).evaluate(Map.of());
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        assertThat(r.kind()).isEqualTo(CelResult.Kind.ERROR);
        assertThat(r.message()).contains("iteration limit");
        // the same expression within the default limits also ends with an error outcome, whichever limit comes first
        CelResult byDefault = eval(nested, Map.of());
        assertThat(byDefault.kind()).isEqualTo(CelResult.Kind.ERROR);
        assertThat(byDefault.message()).containsAnyOf("iteration limit", "time limit");
    }

    @Test
    void aSlowEvaluationStopsAtTheTimeLimit() {
        CelEvaluator quick = CelEvaluator.create(List.of("self"),
                new CelEvaluator.Limits(100_000_000, Duration.ofMillis(50), 10_000, 16));
        String big = "[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19]";
        String nested = big + ".exists(a, " + big + ".exists(b, " + big + ".exists(c, " + big + ".exists(d, " + big
                + ".exists(e, self.s.matches('^(a|b)*c$'))))))";
        long start = System.nanoTime();
        CelResult r = quick.compile(nested).evaluate(Map.of("self", Map.of("s", "ab".repeat(500))));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(2));
        assertThat(r.kind()).isEqualTo(CelResult.Kind.ERROR);
        assertThat(r.message()).contains("time limit");
    }

    @Test
    void compiledExpressionsAreCached() {
        assertThat(cel.compile("self == 1")).isSameAs(cel.compile("self == 1"));
    }
}
