package io.asyncsidecar.controlplane.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.helidon.config.Config;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What a new user meets when starting the server from the command line: which token source wins, plugin keys
 * from the environment, and the access log's keys.
 */
class StartupConfigTest {

    @TempDir
    Path home;

    private void configFile(String yaml) throws IOException {
        Files.createDirectories(home.resolve("config"));
        Files.writeString(home.resolve("config/application.yaml"), yaml);
    }

    private static final String DEMO = """
            auth:
              mode: static
              tokens-json: '{"demo-admin":{"tenant_id":"tA","scopes":"tests.read"}}'
            """;

    @Test
    void tokensFileInTheEnvironmentWinsOverTheFilesDemoTokens() throws IOException {
        configFile(DEMO);
        Path tokens = home.resolve("tokens.json");
        Files.writeString(tokens, "{\"t1\":{\"tenant_id\":\"x\",\"scopes\":\"a\"},\"t2\":{\"tenant_id\":\"y\",\"scopes\":\"b\"}}");
        Config config = ConfigLoader.load(home, Map.of("AUTH_TOKENS_FILE", tokens.toString()));
        AuthSettings auth = AuthSettings.from(config);
        assertThat(auth.tokens().size()).isEqualTo(2);
        assertThat(auth.tokens().lookup("t1")).isPresent();
        assertThat(auth.tokens().lookup("demo-admin")).isEmpty();
        assertThat(auth.tokenSource()).contains("AUTH_TOKENS_FILE").contains(tokens.toString())
                .contains("environment variable AUTH_TOKENS_FILE");
    }

    @Test
    void withoutAnExplicitSourceTheFilesTokensAreUsedAndNamed() throws IOException {
        configFile(DEMO);
        AuthSettings auth = AuthSettings.from(ConfigLoader.load(home, Map.of()));
        assertThat(auth.tokens().lookup("demo-admin")).isPresent();
        assertThat(auth.tokenSource()).contains("auth.tokens-json").contains("application.yaml");
    }

    @Test
    void twoExplicitSourcesStopStartUpNamingBoth() throws IOException {
        configFile(DEMO);
        assertThatThrownBy(() -> ConfigLoader.load(home, Map.of("AUTH_TOKENS_FILE", "/x", "AUTH_TOKENS_JSON", "{}")))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("AUTH_TOKENS_JSON").hasMessageContaining("AUTH_TOKENS_FILE");
    }

    @Test
    void bothTokenKeysInTheFileAreAmbiguous() throws IOException {
        configFile(DEMO + "  tokens-file: other.json\n");
        assertThatThrownBy(() -> AuthSettings.from(ConfigLoader.load(home, Map.of())))
                .isInstanceOf(InvalidConfigurationException.class)
                .hasMessageContaining("auth.tokens-json").hasMessageContaining("auth.tokens-file");
    }

    @Test
    void pluginKeysComeFromPluginsVariables() throws IOException {
        configFile("plugins:\n  helm:\n    chart: a\n");
        Config config = ConfigLoader.load(home, Map.of("PLUGINS_HELM_CHART", "charts/b",
                "PLUGINS_HELM_KUBE__VERSION", "1.30.0"));
        assertThat(config.get("plugins.helm.chart").asString().get()).isEqualTo("charts/b");
        assertThat(config.get("plugins.helm.kube-version").asString().get()).isEqualTo("1.30.0");
    }

    @Test
    void accessLogKeysAreChecked() throws IOException {
        configFile("server:\n  access-log:\n    format: xml\n");
        assertThatThrownBy(() -> ServerSettings.from(ConfigLoader.load(home, Map.of())))
                .hasMessageContaining("server.access-log.format").hasMessageContaining("xml");
        configFile("");
        ServerSettings off = ServerSettings.from(ConfigLoader.load(home, Map.of("CP_ACCESS_LOG", "false")));
        assertThat(off.accessLog().enabled()).isFalse();
        ServerSettings defaults = ServerSettings.from(ConfigLoader.load(home, Map.of()));
        assertThat(defaults.accessLog().enabled()).isTrue();
        assertThat(defaults.accessLog().output()).isEqualTo(AccessLogSettings.Output.STDOUT);
        assertThat(defaults.accessLog().excluded("/health/ready")).isTrue();
        assertThat(defaults.accessLog().excluded("/healthz")).isTrue();
        assertThat(defaults.accessLog().excluded("/api/plugins")).isFalse();
    }
}
