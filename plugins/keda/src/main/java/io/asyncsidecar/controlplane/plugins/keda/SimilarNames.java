package io.asyncsidecar.controlplane.plugins.keda;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.PriorityQueue;

import io.asyncsidecar.controlplane.kit.EditDistance;

/**
 * The known metric names closest to one a query asks for, as suggestions ("did you mean"). A name is read as its
 * {@code _}- and {@code :}-separated words; a candidate scores by the words it shares with the name (a word with a
 * typo or a plural counts for less, Dice's coefficient over both word lists) and, for a lesser part, by the edit
 * distance of the whole names. So {@code explainer_queue_lag_seconds} comes close to
 * {@code hypergraph_backlog_seconds} by its unit, and {@code http_request_total} to {@code http_requests_total} by
 * both.
 *
 * <p>Bounded: at most {@value #MAX_CANDIDATES} candidates are scored (a Prometheus may know hundreds of
 * thousands of names; it sends them sorted), names are compared on their first {@value #MAX_CHARS} characters, and
 * only the best {@code limit} are kept while scoring.
 */
final class SimilarNames {

    /** Suggestions per name. */
    static final int LIMIT = 5;
    /** Candidates scored per name. */
    static final int MAX_CANDIDATES = 100_000;
    static final int MAX_CHARS = 128;
    /** Below this a candidate has nothing worth suggesting in common with the name. */
    static final double MIN_SCORE = 0.2;

    private SimilarNames() {
    }

    private record Scored(String name, double score) {
    }

    private static final Comparator<Scored> BEST_FIRST = Comparator.comparingDouble(Scored::score).reversed()
            .thenComparing(Scored::name);

    /**
     * The closest candidates.
     *
     * @param name       the name asked for
     * @param candidates the names known
     * @param limit      how many to return at most
     * @return the closest first, without the name itself
     */
    static List<String> closest(String name, Collection<String> candidates, int limit) {
        String wanted = clip(name).toLowerCase(Locale.ROOT);
        List<String> words = words(wanted);
        PriorityQueue<Scored> best = new PriorityQueue<>(BEST_FIRST.reversed());
        int seen = 0;
        for (String candidate : candidates) {
            if (seen++ >= MAX_CANDIDATES) {
                break;
            }
            if (candidate.equals(name)) {
                continue;
            }
            double floor = best.size() < limit ? MIN_SCORE : Math.max(MIN_SCORE, best.peek().score());
            double score = score(wanted, words, clip(candidate).toLowerCase(Locale.ROOT), floor);
            if (score < floor || (best.size() >= limit && score == floor)) {
                continue;
            }
            best.add(new Scored(candidate, score));
            if (best.size() > limit) {
                best.poll();
            }
        }
        List<Scored> sorted = new ArrayList<>(best);
        sorted.sort(BEST_FIRST);
        return sorted.stream().map(Scored::name).toList();
    }

    /**
     * The score of a candidate, or something below {@code floor} as soon as it cannot reach it (the edit distance,
     * the costly part, is then not computed in full).
     */
    static double score(String name, List<String> words, String candidate, double floor) {
        List<String> other = words(candidate);
        double shared = 0;
        boolean[] used = new boolean[other.size()];
        for (String w : words) {
            double bestMatch = 0;
            int bestIndex = -1;
            for (int i = 0; i < other.size(); i++) {
                if (used[i]) {
                    continue;
                }
                double m = wordMatch(w, other.get(i));
                if (m > bestMatch) {
                    bestMatch = m;
                    bestIndex = i;
                }
            }
            if (bestIndex >= 0) {
                used[bestIndex] = true;
                shared += bestMatch;
            }
        }
        double dice = words.isEmpty() && other.isEmpty() ? 0 : 2 * shared / (words.size() + other.size());
        int longer = Math.max(name.length(), candidate.length());
        if (longer == 0) {
            return 0.7 * dice;
        }
        // spelling = 1 - distance / longer must reach (floor - 0.7 dice) / 0.3
        double needed = (floor - 0.7 * dice) / 0.3;
        int maxDistance = needed <= 0 ? longer : (int) Math.floor((1 - needed) * longer);
        if (maxDistance < 0 || Math.abs(name.length() - candidate.length()) > maxDistance) {
            return -1;
        }
        int distance = EditDistance.bounded(name, candidate, maxDistance + 1);
        if (distance > maxDistance) {
            return -1;
        }
        return 0.7 * dice + 0.3 * (1.0 - (double) distance / longer);
    }

    /** 1 for the same word, less for a typo or one word extending the other ({@code request}, {@code requests}). */
    private static double wordMatch(String a, String b) {
        if (a.equals(b)) {
            return 1;
        }
        int shorter = Math.min(a.length(), b.length());
        if (shorter >= 4) {
            if (Math.abs(a.length() - b.length()) <= 2) {
                int d = EditDistance.bounded(a, b, 3);
                if (d == 1 || (d == 2 && shorter >= 7)) {
                    return 0.8;
                }
            }
            if (a.startsWith(b) || b.startsWith(a)) {
                return 0.6;
            }
        }
        return 0;
    }

    /** The words of a lower-case name, split at {@code _} and {@code :}. */
    private static List<String> words(String name) {
        List<String> words = new ArrayList<>(6);
        int start = 0;
        for (int i = 0; i <= name.length(); i++) {
            if (i == name.length() || name.charAt(i) == '_' || name.charAt(i) == ':') {
                if (i > start) {
                    words.add(name.substring(start, i));
                }
                start = i + 1;
            }
        }
        return words;
    }

    private static String clip(String s) {
        return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) : s;
    }
}
