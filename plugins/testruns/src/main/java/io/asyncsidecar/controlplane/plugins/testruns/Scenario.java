package io.asyncsidecar.controlplane.plugins.testruns;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A built-in runner scenario, read from YAML by {@link ScenarioParser}: E2E steps run once in order, then a
 * load phase over a weighted mix of steps.
 *
 * @param name        a short name
 * @param description what it checks
 * @param variables   default values of {@code ${name}} placeholders; run arguments override them
 * @param steps       the E2E steps, in order
 * @param load        the load phase
 */
record Scenario(String name, String description, Map<String, String> variables, List<Step> steps,
                       LoadPlan load) {

    /**
     * One HTTP request and what its response must look like.
     *
     * @param name    unique within the scenario
     * @param method  HTTP method
     * @param path    path and query, relative to the run's base URL; may hold {@code ${var}}
     * @param headers request headers; values may hold {@code ${var}} (a header whose variable is unset is
     *                left out, so optional tokens work)
     * @param body    request body, or null
     * @param expect  the checks on the response
     * @param capture variables to set from the response JSON: variable name to JSON path
     */
    public record Step(String name, String method, String path, Map<String, String> headers, String body,
                       Expectation expect, Map<String, String> capture) {
    }

    /**
     * The checks on a response.
     *
     * @param statuses    accepted status codes; empty accepts 200–399
     * @param json        JSON path to the exact (scalar) value expected there
     * @param jsonExists  JSON paths that must be present
     * @param bodyPattern a regular expression the body must contain a match of, or null
     * @param headers     header name to a regular expression its value must match entirely
     */
    public record Expectation(Set<Integer> statuses, Map<String, Object> json, List<String> jsonExists,
                              Pattern bodyPattern, Map<String, Pattern> headers) {

        /**
         * Whether a status is accepted.
         *
         * @param status the response status
         * @return true when accepted
         */
        public boolean accepts(int status) {
            return statuses.isEmpty() ? status >= 200 && status < 400 : statuses.contains(status);
        }
    }

    /**
     * One entry of the load mix.
     *
     * @param step       the request
     * @param weight     relative frequency, at least 1
     * @param thresholds criteria on this step's own statistics
     */
    public record LoadStep(Step step, int weight, List<Threshold> thresholds) {
    }

    /**
     * The load phase.
     *
     * @param steps      the mix; empty means no load phase
     * @param targetRate requests per second for the open model; 0 for the closed model
     * @param thresholds criteria on the whole phase
     */
    public record LoadPlan(List<LoadStep> steps, double targetRate, List<Threshold> thresholds) {
    }
}
