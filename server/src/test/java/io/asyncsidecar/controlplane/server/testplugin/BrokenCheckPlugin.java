package io.asyncsidecar.controlplane.server.testplugin;

import java.util.Optional;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.RequiredScopes;
import io.asyncsidecar.controlplane.spi.checks.CheckOutcome;
import io.asyncsidecar.controlplane.spi.checks.CheckParameters;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/** A class-path plugin whose workspace check always throws: the combined report names it with its problem. */
public final class BrokenCheckPlugin implements Plugin {

    @Override
    public String id() {
        return "broken-check";
    }

    @Override
    public void init(PluginContext context) {
    }

    @Override
    public void routes(PluginRoutes routes) {
    }

    @Override
    public Optional<WorkspaceCheck> workspaceCheck() {
        return Optional.of(new WorkspaceCheck() {
            @Override
            public RequiredScopes scopes() {
                return RequiredScopes.authenticated();
            }

            @Override
            public CheckOutcome run(CheckParameters parameters) {
                throw new IllegalStateException("internal detail at /secret/path that must not leak");
            }
        });
    }
}
