package io.asyncsidecar.controlplane.server;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.asyncsidecar.controlplane.spi.checks.CheckReport;
import io.asyncsidecar.controlplane.spi.checks.Finding;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * The {@code control-plane check} report as a person reads it on a terminal or in a CI log: one row per plugin
 * (engine, counts, score, time), a total row, the checks that could not run, then every active error and warning
 * (worst first) with its object, file:line and message. ANSI colour only when asked (a terminal).
 */
final class CheckSummaryTable {

    private static final String RED = "\u001b[31m";
    private static final String YELLOW = "\u001b[33m";
    private static final String GREEN = "\u001b[32m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    private final boolean colour;

    /**
     * A table writer.
     *
     * @param colour whether to colour severities and scores
     */
    CheckSummaryTable(boolean colour) {
        this.colour = colour;
    }

    /**
     * The table.
     *
     * @param report       the report
     * @param workspace    the workspace checked, named in the heading
     * @param withFindings whether to list the active errors and warnings below the table
     * @return the text, ending with a line break
     */
    String render(ChecksReport report, Path workspace, boolean withFindings) {
        StringBuilder sb = new StringBuilder();
        sb.append(paint(BOLD, "control-plane check")).append(" of ").append(workspace).append('\n').append('\n');
        String format = "%-12s %-14s %6s %8s %6s %8s %6s %8s%n";
        sb.append(String.format(Locale.ROOT, format, "plugin", "engine", "error", "warning", "info", "ignored",
                "score", "time"));
        int e = 0;
        int w = 0;
        int i = 0;
        int ig = 0;
        for (ChecksReport.PluginResult p : report.plugins()) {
            CheckReport r = p.report();
            int pe = count(r, Severity.ERROR);
            int pw = count(r, Severity.WARNING);
            int pi = count(r, Severity.INFO);
            e += pe;
            w += pw;
            i += pi;
            ig += r.ignored().size();
            String engine = p.outcome() == null ? "failed" : r.engine() + (r.degraded() ? " (degraded)" : "");
            sb.append(row(format, p.id(), engine, pe, pw, pi, r.ignored().size(),
                    ChecksReport.score(p), p.millis()));
        }
        sb.append(row(format, "total", "", e, w, i, ig, report.score(), -1));
        for (ChecksReport.LeftOut l : report.leftOut()) {
            sb.append("left out: ").append(l.id()).append(" (needs ").append(String.join(", ", l.scopes()))
                    .append(")\n");
        }
        for (ChecksReport.PluginResult p : report.plugins()) {
            if (p.problem() != null) {
                sb.append(paint(RED, "could not check")).append(' ').append(p.id()).append(": ").append(p.problem())
                        .append('\n');
            }
        }
        if (withFindings) {
            List<String[]> lines = new ArrayList<>();
            for (Severity s : List.of(Severity.ERROR, Severity.WARNING)) {
                for (ChecksReport.PluginResult p : report.plugins()) {
                    for (Finding f : p.report().active()) {
                        if (f.severity() == s) {
                            lines.add(new String[] {s.json(), f.checkId(),
                                    f.object() == null ? "" : f.object().display(), CheckCommand.where(f),
                                    f.message()});
                        }
                    }
                }
            }
            sb.append('\n');
            sb.append(lines.isEmpty() ? "no errors or warnings\n" : "errors and warnings (" + lines.size() + "):\n");
            for (String[] l : lines) {
                String severity = String.format(Locale.ROOT, "%-8s", l[0]);
                sb.append("  ").append(paint(l[0].equals("error") ? RED : YELLOW, severity)).append(' ')
                        .append(l[1]).append("  ").append(l[2]).append(l[2].isEmpty() ? "" : "  ").append(l[3])
                        .append(l[3].isEmpty() ? "" : "  ").append(l[4].replace('\n', ' ')).append('\n');
            }
        }
        return sb.toString();
    }

    private String row(String format, String id, String engine, int e, int w, int i, int ignored, Integer score,
                       long millis) {
        String line = String.format(Locale.ROOT, format, id, engine, e, w, i, ignored,
                score == null ? "-" : score.toString(), millis < 0 ? "" : String.format(Locale.ROOT, "%.1f s",
                        millis / 1000.0));
        if (!colour) {
            return line;
        }
        // colour the counts and the score in place; the padding stays as computed without escapes
        String c = e > 0 ? RED : w > 0 ? YELLOW : GREEN;
        return c + line.stripTrailing() + RESET + "\n";
    }

    private static int count(CheckReport r, Severity s) {
        return (int) r.active().stream().filter(f -> f.severity() == s).count();
    }

    private String paint(String code, String text) {
        return colour ? code + text + RESET : text;
    }
}
