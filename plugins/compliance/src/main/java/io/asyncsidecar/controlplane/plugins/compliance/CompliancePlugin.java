package io.asyncsidecar.controlplane.plugins.compliance;

import java.util.Optional;

import io.asyncsidecar.controlplane.spi.Plugin;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.checks.WorkspaceCheck;

/**
 * The {@code compliance} plugin (scope {@code compliance.read}): {@code POST /api/compliance/openapi/check}
 * checks an OpenAPI spec, {@code POST /api/compliance/hif/validate} validates a HIF document.
 */
public final class CompliancePlugin implements Plugin {

    private OpenApiCheckApi openApi;
    private HifValidationApi hif;

    /** Creates the plugin. */
    public CompliancePlugin() {
    }

    @Override
    public String id() {
        return "compliance";
    }

    @Override
    public void init(PluginContext context) {
        openApi = new OpenApiCheckApi(context);
        hif = new HifValidationApi(context);
    }

    @Override
    public void routes(PluginRoutes routes) {
        openApi.routes(routes);
        hif.routes(routes);
    }

    /** @return the OpenAPI check of the workspace spec; HIF documents are posted, not read from the workspace */
    @Override
    public Optional<WorkspaceCheck> workspaceCheck() {
        return Optional.ofNullable(openApi).map(OpenApiCheckApi::workspaceCheck);
    }
}
