/**
 * The plugin kit: helpers a plugin bundles in its own folder, outside the SPI, so the SPI stays a small, stable
 * contract while the kit evolves (each plugin carries the kit version it was built with, loaded child-first).
 *
 * <ul>
 *   <li>{@link io.asyncsidecar.controlplane.kit.JsonCodec}: the one way to make and read JSON. It looks JSON-P's
 *       provider up once, because each static {@code Json.create*} call scans for it through the plugin's class
 *       loader, and it streams plain Java values to text without building a tree.</li>
 *   <li>{@link io.asyncsidecar.controlplane.kit.JsonRequests}: JSON request bodies, with 415 and 400 answers that
 *       name what was wrong.</li>
 *   <li>{@link io.asyncsidecar.controlplane.kit.WorkspacePaths}: paths callers name, confined to the workspace.</li>
 *   <li>{@link io.asyncsidecar.controlplane.kit.WorkspaceFiles}: the one way to read workspace files and walk its
 *       folders, refusing whatever resolves outside (symbolic links), special files and oversized files.</li>
 * </ul>
 *
 * <p>Helpers for check plugins are in {@link io.asyncsidecar.controlplane.kit.checks}.
 */
package io.asyncsidecar.controlplane.kit;
