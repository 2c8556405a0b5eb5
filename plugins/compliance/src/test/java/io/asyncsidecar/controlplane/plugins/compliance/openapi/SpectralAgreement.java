package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.helidon.http.Status;
import io.helidon.webclient.api.ClientResponseTyped;
import io.helidon.webclient.http1.Http1Client;

import jakarta.json.JsonObject;

import static io.asyncsidecar.controlplane.server.testing.FindingsJson.parse;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Compares the check with Spectral on real specs: for every rule the two share ({@link OpenApiRule#spectral()}),
 * the same (file, JSON pointer, rule) triples must fire. Example rules are compared at the example (Spectral points
 * at the first failing value inside it, which depends on its validator's keyword order); everything else exactly.
 */
final class SpectralAgreement {

    /** Spectral's example rules, whose paths go into the example value. */
    private static final Set<String> EXAMPLE_CODES = Set.of("oas3-valid-media-example", "oas2-valid-media-example",
            "oas3-valid-schema-example", "oas2-valid-schema-example");

    /**
     * A documented difference (docs/CHECKS.md): Spectral reports it and this check, on purpose, does not.
     *
     * @param file    the spec, relative to the workspace
     * @param code    the Spectral rule
     * @param pointer where
     * @param reason  why the check differs
     */
    record Difference(String file, String code, String pointer, String reason) {
    }

    private SpectralAgreement() {
    }

    /**
     * Checks specs both ways and compares.
     *
     * @param client    a client of a server whose workspace is {@code workspace}
     * @param workspace the workspace
     * @param specs     the specs, relative to the workspace
     * @param known     the documented differences among them
     * @return agreed triples per spec
     */
    static Map<String, Integer> assertAgrees(Http1Client client, Path workspace, List<String> specs,
                                             List<Difference> known) throws Exception {
        List<Path> files = specs.stream().map(workspace::resolve).toList();
        Set<String> theirs = new TreeSet<>();
        for (Spectral.Result r : Spectral.lint(files)) {
            String group = group(r.code());
            if (group == null) {
                continue;
            }
            String file = workspace.relativize(r.source()).toString().replace('\\', '/');
            String pointer = EXAMPLE_CODES.contains(r.code()) ? exampleRoot(r.path(), r.code().startsWith("oas2"))
                    : r.pointer();
            theirs.add(file + " " + group + " " + pointer);
        }
        for (Difference d : known) {
            String key = d.file() + " " + group(d.code()) + " " + d.pointer();
            assertThat(theirs).as("documented difference no longer seen (%s); drop it from the list and CHECKS.md",
                    d.reason()).contains(key);
            theirs.remove(key);
        }
        Set<String> ours = new TreeSet<>();
        Map<String, Integer> agreed = new TreeMap<>();
        for (String spec : specs) {
            ClientResponseTyped<String> res = client.post("/api/compliance/openapi/check").queryParam("path", spec)
                    .request(String.class);
            assertThat(res.status()).as(res.entity()).isEqualTo(Status.OK_200);
            JsonObject body = parse(res.entity());
            List<JsonObject> all = new ArrayList<>(body.getJsonArray("findings").getValuesAs(JsonObject.class));
            all.addAll(body.getJsonArray("ignored").getValuesAs(JsonObject.class));
            int n = 0;
            for (JsonObject f : all) {
                OpenApiRule rule = rule(f.getString("check"));
                if (rule == null || rule.spectral().isEmpty()) {
                    continue;
                }
                ours.add(f.getString("file") + " " + String.join("|", rule.spectral()) + " " + f.getString("pointer"));
                n++;
            }
            agreed.put(spec, n);
        }
        Set<String> onlyOurs = new TreeSet<>(ours);
        onlyOurs.removeAll(theirs);
        Set<String> onlySpectral = new TreeSet<>(theirs);
        onlySpectral.removeAll(ours);
        assertThat(onlyOurs).as("made by the check but not by Spectral").isEmpty();
        assertThat(onlySpectral).as("made by Spectral but not by the check").isEmpty();
        return agreed;
    }

    private static OpenApiRule rule(String id) {
        for (OpenApiRule r : OpenApiRule.values()) {
            if (r.id().equals(id)) {
                return r;
            }
        }
        return null;
    }

    private static final Map<String, String> GROUPS = new HashMap<>();

    static {
        for (OpenApiRule r : OpenApiRule.values()) {
            for (String code : r.spectral()) {
                GROUPS.put(code, String.join("|", r.spectral()));
            }
        }
    }

    /** The group of rules a Spectral code belongs to, or null when the check has no rule for it. */
    private static String group(String code) {
        return GROUPS.get(code);
    }

    /**
     * The example a Spectral example result is about: its path up to {@code example}, {@code default},
     * {@code x-example}, {@code examples/<name>/value} (3.x) or {@code examples/<media type>} (2.0), skipping
     * property names (a property may be called {@code example}).
     */
    static String exampleRoot(List<String> path, boolean oas2) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.size(); i++) {
            String s = path.get(i);
            sb.append('/').append(OpenApiNode.escape(s));
            if (s.equals("properties") && i + 1 < path.size()) {
                sb.append('/').append(OpenApiNode.escape(path.get(++i)));
                continue;
            }
            if (s.equals("example") || s.equals("default") || s.equals("x-example")) {
                break;
            }
            if (s.equals("examples") && i + 1 < path.size()) {
                sb.append('/').append(OpenApiNode.escape(path.get(++i)));
                if (!oas2 && i + 1 < path.size() && path.get(i + 1).equals("value")) {
                    sb.append("/value");
                }
                break;
            }
        }
        return sb.toString();
    }
}
