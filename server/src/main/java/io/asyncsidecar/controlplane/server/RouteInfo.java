package io.asyncsidecar.controlplane.server;

/**
 * The route a request matched, put in the request context for the access log and metrics.
 *
 * @param plugin the plugin id, or {@code server}
 * @param route  the route template, e.g. {@code /api/testruns/{id}}
 */
record RouteInfo(String plugin, String route) {
}
