/**
 * CEL for check plugins, on Google's CEL for Java ({@code dev.cel:cel}, an optional dependency of the kit: a
 * plugin using this package declares it itself, so plugins that do not carry neither it nor protobuf and guava).
 *
 * <ul>
 *   <li>{@link io.asyncsidecar.controlplane.kit.cel.CelEvaluator}: compile once, evaluate many times over plain
 *       Java values, in Kubernetes' CEL environment as far as cel-java has it, each evaluation bounded in
 *       iterations and time; outcomes are {@link io.asyncsidecar.controlplane.kit.cel.CelResult}s (a value, an
 *       error, or "not evaluated: uses quantity()"), never exceptions.</li>
 *   <li>{@link io.asyncsidecar.controlplane.kit.cel.CrdValidations}: a CRD schema's
 *       {@code x-kubernetes-validations} on an object, defaulted and pruned as the API server does on create;
 *       {@link io.asyncsidecar.controlplane.kit.cel.CrdIndex} finds the schema of an apiVersion and kind among
 *       CustomResourceDefinitions.</li>
 * </ul>
 */
package io.asyncsidecar.controlplane.kit.cel;
