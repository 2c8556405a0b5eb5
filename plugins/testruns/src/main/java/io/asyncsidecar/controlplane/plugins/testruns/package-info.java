/**
 * The {@code testruns} plugin: E2E and load runs against a service, by the built-in runner or an external
 * command, with durable history under the plugin's data directory and live WebSocket streams.
 * {@link io.asyncsidecar.controlplane.plugins.testruns.TestRunsPlugin} is the entry point; see the module's
 * README for the API, the stream protocol and the durability rules.
 */
package io.asyncsidecar.controlplane.plugins.testruns;
