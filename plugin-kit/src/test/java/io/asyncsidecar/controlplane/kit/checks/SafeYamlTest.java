package io.asyncsidecar.controlplane.kit.checks;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.spi.checks.YamlFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The expanded-size limit: alias and merge-key bombs under SnakeYAML's alias limit stop at the node or character
 * budget quickly, while ordinary aliases and merges still load.
 */
class SafeYamlTest {

    @TempDir
    Path workspace;

    /** Levels of ten aliases to the level before: 80 aliases in about 400 bytes, 10^8 nodes once expanded. */
    static String aliasBomb() {
        StringBuilder sb = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 8; i++) {
            sb.append('l').append(i).append(": &l").append(i).append(" [")
                    .append(String.join(",", java.util.Collections.nCopies(10, "*l" + (i - 1)))).append("]\n");
        }
        return sb.toString();
    }

    /** Merge keys of merge keys: each level merges the one before nine times and nests it once. */
    static String mergeBomb() {
        StringBuilder sb = new StringBuilder("m0: &m0 {a: 1, b: 2, c: 3, d: 4}\n");
        for (int i = 1; i <= 8; i++) {
            String prev = "*m" + (i - 1);
            sb.append('m').append(i).append(": &m").append(i).append(" {<<: [")
                    .append(String.join(",", java.util.Collections.nCopies(9, prev))).append("], k").append(i)
                    .append(": ").append(prev).append("}\n");
        }
        return sb.toString();
    }

    @Test
    void anAliasBombUnderTheAliasLimitIsAYamlLimitFindingNotTheHeap() {
        String bomb = aliasBomb();
        assertThat(bomb.length()).isLessThan(600);
        YamlFile f = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> SafeYaml.create().parse(bomb, "b.yaml", 1));
        assertThat(f.error()).isNotNull();
        assertThat(f.error().checkId()).isEqualTo(SafeYaml.LIMIT);
        assertThat(f.error().message()).contains("1000000 nodes");
        assertThat(f.documents()).isEmpty();
    }

    @Test
    void aMergeKeyBombIsAYamlLimitFinding() {
        String bomb = mergeBomb();
        assertThat(bomb.length()).isLessThan(600);
        YamlFile f = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> SafeYaml.create().parse(bomb, "m.yaml", 1));
        assertThat(f.error()).isNotNull();
        assertThat(f.error().checkId()).isEqualTo(SafeYaml.LIMIT);
        assertThat(f.error().message()).contains("nodes");
    }

    @Test
    void scalarAliasesCountTheirCharacters() {
        String text = "s: &s " + "y".repeat(1000) + "\nl: [" + String.join(",", java.util.Collections.nCopies(50, "*s"))
                + "]\n";
        YamlFile tight = SafeYaml.create(1 << 20, 100, 100, 10, 1_000_000, 20_000).parse(text, "s.yaml", 1);
        assertThat(tight.error().checkId()).isEqualTo(SafeYaml.LIMIT);
        assertThat(tight.error().message()).contains("limit 20000 characters");
        assertThat(SafeYaml.create().parse(text, "s.yaml", 1).ok()).isTrue();
    }

    @Test
    void ordinaryAliasesAndMergesStillLoadAndTheBudgetIsConfigurable() {
        String text = """
                base: &base {cpu: 100m, memory: 64Mi}
                a: {<<: *base, cpu: 200m}
                b: [*base, *base]
                ---
                second: document
                """;
        YamlFile f = SafeYaml.create().parse(text, "ok.yaml", 1);
        assertThat(f.ok()).isTrue();
        Map<String, Object> first = f.documents().getFirst().map();
        assertThat(first.get("a")).isEqualTo(Map.of("cpu", "200m", "memory", "64Mi"));
        assertThat((List<?>) first.get("b")).hasSize(2);

        YamlFile tight = SafeYaml.create(1 << 20, 100, 100, 10, 10, 1 << 20).parse(text, "ok.yaml", 1);
        assertThat(tight.error().checkId()).isEqualTo(SafeYaml.LIMIT);
        assertThat(tight.error().message()).contains("limit 10 nodes");
    }

    @Test
    void aLoaderWithUniqueKeysRefusesARepeatedKeyAtItsLine() {
        String text = "a: 1\nb: {c: 2}\na: 3\n";
        YamlFile strict = SafeYaml.create().withUniqueKeys().parse(text, "d.yaml", 1);
        assertThat(strict.error().checkId()).isEqualTo(SafeYaml.PARSE_ERROR);
        assertThat(strict.error().message()).contains("duplicate key 'a'");
        assertThat(strict.error().line()).isEqualTo(3);
        assertThat(SafeYaml.create().parse(text, "d.yaml", 1).documents().getFirst().map()).containsEntry("a", 3L);
        assertThat(SafeYaml.create().withUniqueKeys().parse("a: 1\nb: 2\n", "d.yaml", 1).ok()).isTrue();
    }

    @Test
    void anUnreadableFileIsAPlainMessageWithTheRelativePath() {
        YamlFile f = SafeYaml.create().load(WorkspaceFiles.of(workspace), workspace.resolve("chart/values.yaml"));
        assertThat(f.error().checkId()).isEqualTo(SafeYaml.PARSE_ERROR);
        assertThat(f.error().message()).isEqualTo("YAML parse error: 'chart/values.yaml' does not exist")
                .doesNotContain("Exception").doesNotContain(workspace.toString());
        assertThat(f.file()).isEqualTo("chart/values.yaml");
    }

    @Test
    void aFileOverTheByteLimitIsAYamlLimit() throws Exception {
        Files.writeString(workspace.resolve("big.yaml"), "a: " + "b".repeat(200) + "\n");
        YamlFile f = SafeYaml.create(100, 100, 100, 10).load(WorkspaceFiles.of(workspace), workspace.resolve("big.yaml"));
        assertThat(f.error().checkId()).isEqualTo(SafeYaml.LIMIT);
        assertThat(f.error().message()).contains("'big.yaml'").contains("100 bytes");
    }
}
