package io.asyncsidecar.controlplane.plugins.helm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.helidon.config.Config;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * Keeps docs/CHECKS.md and the helm plugin's rules in step: every rule has its documentation anchor, the peer
 * coverage tables link only to rules that exist, and each peer's stated coverage is what its rows say and at
 * least 90% of its applicable checks.
 */
class HelmRulesDocumentedTest {

    /** Surefire runs in the module folder, plugins/helm. */
    private static final Path DOC = Path.of("../../docs/CHECKS.md");
    private static final String COVERAGE_HEADING = "### Coverage of kube-linter, Polaris and kube-score";
    private static final List<String> PEERS = List.of("kube-linter", "Polaris", "kube-score");
    private static final Pattern ANCHOR = Pattern.compile("<a id=\"([^\"]+)\"></a>");
    private static final Pattern LINK = Pattern.compile("\\]\\(#(helm\\.[a-z0-9.-]+)\\)");
    private static final Pattern ROW = Pattern.compile("^\\| `([^`]+)` \\| (yes|no) \\| (.+) \\|$");
    private static final Pattern FIGURE = Pattern.compile(
            "^Coverage: (\\d+) of (\\d+) applicable checks \\((\\d+(?:\\.\\d)?)%\\)");

    private static String doc;
    private static Set<String> ruleIds;

    @BeforeAll
    static void read() throws IOException {
        if (!Files.isRegularFile(DOC)) {
            fail("docs/CHECKS.md not found at " + DOC.toAbsolutePath().normalize()
                    + ": this test runs from the plugins/helm module folder of a checkout");
        }
        doc = Files.readString(DOC);
        ruleIds = ChartChecks.from(Config.empty()).rules().stream().map(CheckRule::id)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void everyRuleHasExactlyOneAnchor() {
        Map<String, Integer> anchors = new LinkedHashMap<>();
        Matcher m = ANCHOR.matcher(doc);
        while (m.find()) {
            anchors.merge(m.group(1), 1, Integer::sum);
        }
        List<String> missing = ruleIds.stream().filter(id -> !anchors.containsKey(id)).toList();
        List<String> repeated = ruleIds.stream().filter(id -> anchors.getOrDefault(id, 0) > 1).toList();
        assertThat(missing).as("rules without <a id=\"<id>\"></a> in docs/CHECKS.md").isEmpty();
        assertThat(repeated).as("rules anchored more than once in docs/CHECKS.md").isEmpty();
        List<String> stale = anchors.keySet().stream()
                .filter(id -> id.startsWith("helm.") && !ruleIds.contains(id)).toList();
        assertThat(stale).as("anchors in docs/CHECKS.md naming no rule of the helm plugin").isEmpty();
    }

    @Test
    void coverageTablesLinkOnlyToRulesOfThePlugin() {
        Matcher m = LINK.matcher(coverageSection());
        List<String> unknown = new ArrayList<>();
        int links = 0;
        while (m.find()) {
            links++;
            if (!ruleIds.contains(m.group(1))) {
                unknown.add(m.group(1));
            }
        }
        assertThat(links).as("links to helm rules in the coverage tables").isPositive();
        assertThat(unknown).as("ids linked in the coverage tables that are no rule of the helm plugin").isEmpty();
    }

    @Test
    void eachPeerIsAtLeastNinetyPercentCoveredAsStated() {
        for (String peer : PEERS) {
            Tally tally = tally(peer);
            assertThat(tally.rows).as("%s: table rows", peer).isPositive();
            assertThat(tally.stated).as("%s: a 'Coverage: N of M applicable checks (P%%)' line", peer).isNotNull();
            assertThat(Integer.parseInt(tally.stated.group(1))).as("%s: stated covered count", peer)
                    .isEqualTo(tally.covered);
            assertThat(Integer.parseInt(tally.stated.group(2))).as("%s: stated applicable count", peer)
                    .isEqualTo(tally.applicable);
            double percent = 100.0 * tally.covered / tally.applicable;
            assertThat(Double.parseDouble(tally.stated.group(3))).as("%s: stated percentage", peer)
                    .isCloseTo(percent, within(0.1));
            assertThat(percent).as("%s: covered %d of %d applicable", peer, tally.covered, tally.applicable)
                    .isGreaterThanOrEqualTo(90.0);
        }
    }

    /** Counts one peer's rows: "does not apply" is not applicable, "not covered" is uncovered, else a link. */
    private static Tally tally(String peer) {
        Tally t = new Tally();
        for (String line : peerSection(peer).lines().toList()) {
            Matcher row = ROW.matcher(line);
            if (row.matches()) {
                t.rows++;
                String ours = row.group(3);
                if (ours.startsWith("does not apply:")) {
                    continue;
                }
                t.applicable++;
                if (ours.startsWith("not covered:")) {
                    continue;
                }
                assertThat(LINK.matcher(ours).find())
                        .as("%s %s: names a rule, 'not covered: <why>' or 'does not apply: <why>'", peer, row.group(1))
                        .isTrue();
                t.covered++;
            }
            Matcher figure = FIGURE.matcher(line);
            if (figure.find()) {
                t.stated = figure;
            }
        }
        return t;
    }

    private static String coverageSection() {
        int start = doc.indexOf(COVERAGE_HEADING);
        assertThat(start).as("docs/CHECKS.md has the heading '%s'", COVERAGE_HEADING).isNotNegative();
        int end = doc.indexOf("\n## ", start);
        return end < 0 ? doc.substring(start) : doc.substring(start, end);
    }

    private static String peerSection(String peer) {
        String section = coverageSection();
        int start = section.indexOf("\n#### " + peer + "\n");
        assertThat(start).as("the coverage section has a '#### %s' table", peer).isNotNegative();
        int end = section.indexOf("\n#### ", start + 1);
        return end < 0 ? section.substring(start) : section.substring(start, end);
    }

    /** One peer table's counts and its stated figure. */
    private static final class Tally {
        private int rows;
        private int applicable;
        private int covered;
        private Matcher stated;
    }
}
