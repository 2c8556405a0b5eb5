/**
 * HIF validation: the shipped JSON Schema of the hypergraph service's interchange format, schemas an operator
 * adds, a bounded reader for the posted document, the reference checks a schema cannot express and the
 * minimal {@code meta.version} check.
 */
package io.asyncsidecar.controlplane.plugins.compliance.hif;
