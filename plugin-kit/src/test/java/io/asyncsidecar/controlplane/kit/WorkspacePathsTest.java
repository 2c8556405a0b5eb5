package io.asyncsidecar.controlplane.kit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;

import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.ServiceRegistry;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Paths callers and operators name, confined to the workspace, and start-up warnings for missing ones. */
class WorkspacePathsTest {

    @TempDir
    Path workspace;

    @Test
    void missingConfiguredPathsAreWarnedNamingKeyAndVariable() throws Exception {
        Files.createDirectories(workspace.resolve("manifests/helm/chart"));
        List<String> warnings = new CopyOnWriteArrayList<>();
        PluginContext context = context(warnings);
        WorkspacePaths.warnIfMissing(context, "plugins.helm.chart", "manifests/helm/chart");
        assertThat(warnings).isEmpty();
        WorkspacePaths.warnIfMissing(context, "plugins.helm.argocd-manifest", "deploy/argocd.yaml");
        WorkspacePaths.warnIfMissing(context, "plugins.keda.manifests", List.of("", "a.yaml"));
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0)).contains("plugins.helm.argocd-manifest").contains("deploy/argocd.yaml")
                .contains("PLUGINS_HELM_ARGOCD__MANIFEST");
        assertThat(warnings.get(1)).contains("PLUGINS_KEDA_MANIFESTS").contains("a.yaml");
    }

    @Test
    void pathsOutsideTheWorkspaceAre400() {
        assertThatThrownBy(() -> WorkspacePaths.resolve(workspace, "chart", "../etc/passwd"))
                .isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(400));
        assertThat(WorkspacePaths.resolve(workspace, "chart", "a/b")).isEqualTo(workspace.resolve("a/b"));
    }

    private PluginContext context(List<String> warnings) {
        System.Logger logger = new System.Logger() {
            @Override
            public String getName() {
                return "test";
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                warnings.add(msg);
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                warnings.add(format);
            }
        };
        return new PluginContext() {
            @Override
            public Config config() {
                return Config.empty();
            }

            @Override
            public Path workspace() {
                return workspace;
            }

            @Override
            public Path dataDirectory() {
                return workspace;
            }

            @Override
            public System.Logger logger() {
                return logger;
            }

            @Override
            public ExecutorService executor() {
                throw new UnsupportedOperationException();
            }

            @Override
            public ServiceRegistry services() {
                throw new UnsupportedOperationException();
            }
        };
    }
}
