package io.asyncsidecar.controlplane.plugins.keda;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.asyncsidecar.controlplane.spi.checks.CheckRule;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Keeps docs/CHECKS.md and the keda plugin's rules in step: every rule the plugin reports has exactly one anchor
 * in the document, and the KEDA section's table names each keda rule with its severity.
 */
class KedaRulesDocumentedTest {

    /** Surefire runs in the module folder, plugins/keda. */
    private static final Path DOC = Path.of("../../docs/CHECKS.md");
    private static final String SECTION = "## KEDA scaler checks";
    private static final Pattern ANCHOR = Pattern.compile("<a id=\"([^\"]+)\"></a>");

    private static String doc() throws IOException {
        if (!Files.isRegularFile(DOC)) {
            fail("docs/CHECKS.md not found at " + DOC.toAbsolutePath().normalize()
                    + ": this test runs from the plugins/keda module folder of a checkout");
        }
        return Files.readString(DOC);
    }

    @Test
    void everyRuleHasExactlyOneAnchorAndEveryKedaAnchorARule() throws IOException {
        String doc = doc();
        Map<String, Integer> anchors = new LinkedHashMap<>();
        Matcher m = ANCHOR.matcher(doc);
        while (m.find()) {
            anchors.merge(m.group(1), 1, Integer::sum);
        }
        Set<String> ids = KedaScan.RULES.stream().map(CheckRule::id).collect(Collectors.toSet());
        assertThat(ids.stream().filter(id -> !anchors.containsKey(id)).toList())
                .as("keda rules without <a id=\"<id>\"></a> in docs/CHECKS.md").isEmpty();
        assertThat(ids.stream().filter(id -> anchors.getOrDefault(id, 0) > 1).toList())
                .as("keda rules anchored more than once").isEmpty();
        assertThat(anchors.keySet().stream().filter(a -> a.startsWith("keda.") && !ids.contains(a)).toList())
                .as("anchors naming no rule of the keda plugin").isEmpty();
    }

    @Test
    void theSectionsTableGivesEachKedaRuleItsSeverity() throws IOException {
        String doc = doc();
        int start = doc.indexOf(SECTION);
        assertThat(start).as("docs/CHECKS.md has '%s'", SECTION).isNotNegative();
        int end = doc.indexOf("\n## ", start + 1);
        String section = end < 0 ? doc.substring(start) : doc.substring(start, end);
        List<CheckRule> keda = KedaScan.RULES.stream().filter(r -> r.id().startsWith("keda.")).toList();
        for (CheckRule rule : keda) {
            String row = "| <a id=\"" + rule.id() + "\"></a>`" + rule.id() + "` | "
                    + rule.severity().name().toLowerCase(java.util.Locale.ROOT);
            assertThat(section).as("a table row for %s starting with its severity", rule.id()).contains(row);
        }
    }
}
