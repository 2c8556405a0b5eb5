/**
 * The {@code audit} plugin: searches and live-tails the audit log (JSONL and its rotated siblings, gzip
 * included), tenant by tenant, scrubbing secrets from every entry on the way out.
 * {@link io.asyncsidecar.controlplane.plugins.audit.AuditPlugin} is the entry point; the module's README
 * describes the API, the entry fields, the limits and how rotation is followed.
 */
package io.asyncsidecar.controlplane.plugins.audit;
