package io.asyncsidecar.controlplane.plugins.testruns;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

/**
 * Phase 1 of the built-in runner: the scenario's steps once, in order, each checked against its
 * expectations. Uses the JDK's HTTP client: correctness matters here, not speed.
 */
final class E2ePhase {

    private static final int BODY_EXCERPT = 300;

    private final HttpClient client;
    private final String baseUrl;
    private final Duration timeout;

    E2ePhase(HttpClient client, String baseUrl, Duration timeout) {
        this.client = client;
        this.baseUrl = baseUrl;
        this.timeout = timeout;
    }

    /**
     * The result of one step.
     *
     * @param passed whether every check held
     * @param json   the result as reported
     */
    record StepResult(boolean passed, JsonObject json) {
    }

    /**
     * Runs one step, capturing variables from its response.
     *
     * @param step      the step
     * @param variables the run's variables (captures are added)
     * @param redactor  scrubs secrets from what is reported
     * @param cancelled polled while waiting for the response
     * @return the result, or empty when the run was cancelled meanwhile
     * @throws InterruptedException when the thread is interrupted
     */
    Optional<StepResult> run(Scenario.Step step, Variables variables, Redactor redactor, BooleanSupplier cancelled)
            throws InterruptedException {
        List<String> failures = new ArrayList<>();
        JsonObjectBuilder out = JsonCodec.objectBuilder()
                .add("phase", "e2e")
                .add("name", step.name())
                .add("method", step.method());
        String path;
        try {
            path = variables.resolve(step.path(), "step '" + step.name() + "' path");
            out.add("path", redactor.apply(path));
            String body = variables.resolve(step.body(), "step '" + step.name() + "' body");
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(timeout)
                    .method(step.method(), body == null
                            ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            variables.headers(step.headers()).forEach(request::header);
            long begin = System.nanoTime();
            CompletableFuture<HttpResponse<byte[]>> pending =
                    client.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray());
            HttpResponse<byte[]> response = null;
            while (response == null) {
                try {
                    response = pending.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    if (cancelled.getAsBoolean()) {
                        pending.cancel(true);
                        return Optional.empty();
                    }
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
                }
            }
            double millis = LoadStats.round((System.nanoTime() - begin) / 1e6);
            out.add("status", response.statusCode()).add("latency_ms", millis);
            check(step, response, variables, failures);
            if (!failures.isEmpty()) {
                String text = new String(response.body(), StandardCharsets.UTF_8);
                out.add("body_excerpt", redactor.apply(text.length() > BODY_EXCERPT
                        ? text.substring(0, BODY_EXCERPT) + "..." : text));
            }
        } catch (IllegalArgumentException e) {
            // an unset variable or a header the JDK client refuses: the scenario's fault, reported on the step
            failures.add(e.getMessage());
        } catch (IOException e) {
            failures.add("request failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
        JsonArrayBuilder list = JsonCodec.arrayBuilder();
        failures.forEach(f -> list.add(redactor.apply(f)));
        out.add("passed", failures.isEmpty()).add("failures", list);
        return Optional.of(new StepResult(failures.isEmpty(), out.build()));
    }

    private static void check(Scenario.Step step, HttpResponse<byte[]> response, Variables variables,
                              List<String> failures) {
        Scenario.Expectation expect = step.expect();
        int status = response.statusCode();
        if (!expect.accepts(status)) {
            failures.add("status " + status + ", expected "
                    + (expect.statuses().isEmpty() ? "2xx or 3xx" : expect.statuses()));
        }
        for (Map.Entry<String, Pattern> h : expect.headers().entrySet()) {
            Optional<String> value = response.headers().firstValue(h.getKey());
            if (value.isEmpty()) {
                failures.add("header " + h.getKey() + " missing");
            } else if (!h.getValue().matcher(value.get()).matches()) {
                failures.add("header " + h.getKey() + " is '" + value.get() + "', expected /" + h.getValue() + "/");
            }
        }
        String text = new String(response.body(), StandardCharsets.UTF_8);
        if (expect.bodyPattern() != null && !expect.bodyPattern().matcher(text).find()) {
            failures.add("body does not match /" + expect.bodyPattern() + "/");
        }
        boolean needsJson = !expect.json().isEmpty() || !expect.jsonExists().isEmpty() || !step.capture().isEmpty();
        if (!needsJson) {
            return;
        }
        JsonValue doc;
        try (JsonReader reader = JsonCodec.reader(new ByteArrayInputStream(response.body()))) {
            doc = reader.readValue();
        } catch (JsonException e) {
            failures.add("body is not JSON");
            return;
        }
        expect.json().forEach((path, expected) -> {
            Optional<JsonValue> actual = JsonPaths.find(doc, path);
            if (actual.isEmpty()) {
                failures.add("json " + path + " missing, expected " + expected);
            } else if (!JsonPaths.equalsScalar(actual.get(), expected)) {
                failures.add("json " + path + " is " + actual.get() + ", expected " + expected);
            }
        });
        for (String path : expect.jsonExists()) {
            if (JsonPaths.find(doc, path).isEmpty()) {
                failures.add("json " + path + " missing");
            }
        }
        step.capture().forEach((name, path) -> {
            Optional<JsonValue> v = JsonPaths.find(doc, path);
            if (v.isEmpty()) {
                failures.add("capture " + name + ": json " + path + " missing");
            } else {
                variables.set(name, JsonPaths.text(v.get()));
            }
        });
    }
}
