package io.asyncsidecar.controlplane.plugins.testruns;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.kit.WorkspacePaths;
import io.asyncsidecar.controlplane.spi.ProblemException;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

/**
 * The default orchestrator: a scenario's E2E steps ({@link E2ePhase}), then its load mix
 * ({@link LoadPhase}), judged by the thresholds. It needs nothing installed, so a run works on a fresh
 * machine.
 *
 * <p>When an E2E step fails the load phase is skipped: loading a service that answers wrongly measures
 * nothing useful, and the run is {@code failed} already.
 */
final class BuiltInOrchestrator implements Orchestrator {

    @Override
    public RunOutcome execute(RunContext run) throws InterruptedException {
        RunArguments args = run.args();
        JsonObjectBuilder results = JsonCodec.objectBuilder();
        Scenario scenario;
        try {
            Path file = WorkspacePaths.resolve(run.workspace(), "scenario", args.scenario());
            if (!Files.isRegularFile(file)) {
                return RunOutcome.error("scenario '" + args.scenario() + "' does not exist in the workspace",
                        results.build());
            }
            scenario = ScenarioParser.read(WorkspaceFiles.of(run.workspace()), file, args.scenario());
        } catch (ProblemException | IllegalArgumentException e) {
            return RunOutcome.error(e.getMessage(), results.build());
        }
        results.add("scenario", JsonCodec.objectBuilder()
                .add("name", scenario.name())
                .add("file", args.scenario())
                .add("description", scenario.description()));
        Redactor redactor = Redactor.of(args.secrets());
        Map<String, String> overrides = new HashMap<>(args.extras());
        overrides.put("base_url", args.baseUrl());
        Variables variables = new Variables(scenario.variables(), overrides);

        run.log("runner", "phase 1 (e2e): " + scenario.steps().size() + " steps of scenario '" + scenario.name() + "'");
        boolean e2ePassed = true;
        JsonArrayBuilder stepResults = JsonCodec.arrayBuilder();
        int passed = 0;
        ExecutorService http = Executors.newVirtualThreadPerTaskExecutor();
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(run.requestTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .executor(http)
                .build();
        try {
            E2ePhase e2e = new E2ePhase(client, args.baseUrl(), run.requestTimeout());
            for (Scenario.Step step : scenario.steps()) {
                if (run.cancelled()) {
                    results.add("e2e", JsonCodec.objectBuilder().add("steps", stepResults));
                    return cancelled(results);
                }
                Optional<E2ePhase.StepResult> outcome = e2e.run(step, variables, redactor, run::cancelled);
                if (outcome.isEmpty()) {
                    results.add("e2e", JsonCodec.objectBuilder().add("steps", stepResults));
                    return cancelled(results);
                }
                E2ePhase.StepResult result = outcome.get();
                run.step(result.json());
                stepResults.add(result.json());
                if (result.passed()) {
                    passed++;
                } else {
                    e2ePassed = false;
                }
            }
        } finally {
            // not close(): that would wait for an exchange a cancellation abandoned
            client.shutdownNow();
            http.shutdownNow();
        }
        results.add("e2e", JsonCodec.objectBuilder()
                .add("total", scenario.steps().size())
                .add("passed", passed)
                .add("failed", scenario.steps().size() - passed)
                .add("steps", stepResults));

        Scenario.LoadPlan plan = scenario.load();
        if (plan.steps().isEmpty()) {
            results.add("load", JsonCodec.objectBuilder().add("skipped", "the scenario has no load steps"));
            return verdict(e2ePassed, true, results, e2ePassed ? null : "E2E steps failed");
        }
        if (!e2ePassed) {
            run.log("runner", "phase 2 (load) skipped: E2E steps failed");
            results.add("load", JsonCodec.objectBuilder().add("skipped", "E2E steps failed"));
            return verdict(false, true, results, "E2E steps failed");
        }

        List<LoadPhase.Request> requests = new ArrayList<>();
        List<Integer> weights = new ArrayList<>();
        URI target = URI.create(args.baseUrl());
        try {
            for (Scenario.LoadStep ls : plan.steps()) {
                Scenario.Step s = ls.step();
                String path = variables.resolve(s.path(), "load step '" + s.name() + "' path");
                String body = variables.resolve(s.body(), "load step '" + s.name() + "' body");
                requests.add(new LoadPhase.Request(s.name(),
                        Http1Connection.encode(target, s.method(), path, variables.headers(s.headers()), body),
                        s.method().equals("HEAD"), s.expect()));
                weights.add(ls.weight());
            }
        } catch (IllegalArgumentException e) {
            return RunOutcome.error(e.getMessage(), results.build());
        }
        double rate = args.targetRate() > 0 ? args.targetRate() : plan.targetRate();
        List<Threshold> thresholds = args.thresholds().isEmpty()
                ? plan.thresholds()
                : args.thresholds().stream().map(Threshold::parse).toList();
        run.log("runner", "phase 2 (load): " + args.concurrency() + " users for " + args.loadDuration() + " s"
                + (rate > 0 ? " at " + rate + " requests/s (open model)" : " (closed model)"));
        LoadPhase load = new LoadPhase(target, requests, weights, args.concurrency(),
                Duration.ofSeconds(args.loadDuration()), rate, run.requestTimeout());
        LoadStats stats = load.run(run::stats, run::cancelled);
        if (run.cancelled()) {
            results.add("load", loadJson(stats, plan, thresholds, rate, args, List.of()));
            return cancelled(results);
        }
        List<JsonObject> verdicts = new ArrayList<>();
        boolean thresholdsHeld = judge(stats, plan, thresholds, verdicts);
        results.add("load", loadJson(stats, plan, thresholds, rate, args, verdicts));
        return verdict(true, thresholdsHeld, results, thresholdsHeld ? null : "thresholds failed");
    }

    private static boolean judge(LoadStats stats, Scenario.LoadPlan plan, List<Threshold> thresholds,
                                 List<JsonObject> out) {
        boolean all = true;
        LoadStats.Summary total = stats.total();
        for (Threshold t : thresholds) {
            all &= verdict(t, total, "total", out);
        }
        for (int i = 0; i < plan.steps().size(); i++) {
            for (Threshold t : plan.steps().get(i).thresholds()) {
                all &= verdict(t, stats.step(i), plan.steps().get(i).step().name(), out);
            }
        }
        return all;
    }

    private static boolean verdict(Threshold t, LoadStats.Summary s, String scope, List<JsonObject> out) {
        double value = t.valueIn(s);
        boolean holds = t.holds(value);
        out.add(JsonCodec.objectBuilder()
                .add("threshold", t.expression())
                .add("scope", scope)
                .add("value", LoadStats.round(value))
                .add("passed", holds)
                .build());
        return holds;
    }

    private static JsonObjectBuilder loadJson(LoadStats stats, Scenario.LoadPlan plan, List<Threshold> thresholds,
                                              double rate, RunArguments args, List<JsonObject> verdicts) {
        JsonObjectBuilder steps = JsonCodec.objectBuilder();
        for (int i = 0; i < plan.steps().size(); i++) {
            steps.add(plan.steps().get(i).step().name(), stats.step(i).toJson()
                    .add("weight", plan.steps().get(i).weight()));
        }
        JsonArrayBuilder th = JsonCodec.arrayBuilder();
        verdicts.forEach(th::add);
        JsonArrayBuilder declared = JsonCodec.arrayBuilder();
        thresholds.forEach(t -> declared.add(t.expression()));
        return JsonCodec.objectBuilder()
                .add("model", rate > 0 ? "open" : "closed")
                .add("target_rate", rate)
                .add("concurrency", args.concurrency())
                .add("duration_s", LoadStats.round(stats.total().seconds()))
                .add("total", stats.total().toJson())
                .add("steps", steps)
                .add("thresholds", th)
                .add("declared_thresholds", declared)
                .add("timeline", stats.timelineJson());
    }

    private static RunOutcome cancelled(JsonObjectBuilder results) {
        return new RunOutcome(RunStatus.CANCELLED, null, null, results.build(), "");
    }

    private static RunOutcome verdict(boolean e2ePassed, boolean thresholdsHeld, JsonObjectBuilder results,
                                      String note) {
        boolean ok = e2ePassed && thresholdsHeld;
        return new RunOutcome(ok ? RunStatus.PASSED : RunStatus.FAILED, ok ? 0 : 1, note, results.build(), "");
    }
}
