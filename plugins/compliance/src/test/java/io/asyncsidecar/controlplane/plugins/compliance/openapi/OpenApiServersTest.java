package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiServersTest {

    @Test
    void serverUrlPaths() {
        assertThat(OpenApiServers.path("https://api.hypergraph.io/v1?x=1")).isEqualTo("/v1");
        assertThat(OpenApiServers.path("https://api.hypergraph.io")).isEqualTo("/");
        assertThat(OpenApiServers.path("//cdn.hypergraph.io/v2/")).isEqualTo("/v2/");
        assertThat(OpenApiServers.path("./v1")).isEqualTo("/v1");
        assertThat(OpenApiServers.path("v1")).isEqualTo("/v1");
        assertThat(OpenApiServers.path("/")).isEqualTo("/");
    }

    @Test
    void exampleHosts() {
        assertThat(OpenApiServers.isExample(OpenApiServers.host("https://user@API.Example.com:8443/v1"))).isTrue();
        assertThat(OpenApiServers.isExample(OpenApiServers.host("http://example.org"))).isTrue();
        assertThat(OpenApiServers.isExample(OpenApiServers.host("http://shop.example"))).isTrue();
        assertThat(OpenApiServers.isExample(OpenApiServers.host("https://myexample.com"))).isFalse();
        assertThat(OpenApiServers.isExample(OpenApiServers.host("/v1"))).isFalse();
    }

    @Test
    void parserLocationsBecomePointers() throws Exception {
        var root = new ObjectMapper().readTree("""
                {"paths": {"/pets/{id}": {"get": {"responses": {"200": {"content": {"application/json": {}}}}}}}}""");
        assertThat(OpenApiParserMessages.pointer(root, OpenApiParserMessages.location(
                "attribute paths.'/pets/{id}'(get).responses.200.content.'application/json'.schema is missing")))
                .isEqualTo("/paths/~1pets~1{id}/get/responses/200/content/application~1json");
        assertThat(OpenApiParserMessages.pointer(root, OpenApiParserMessages.location(
                "attribute info.title is missing"))).isEqualTo("");
        assertThat(OpenApiParserMessages.location("components.parameters.animal.[animal].examples already defined"))
                .isEqualTo("components.parameters.animal.[animal].examples");
    }
}
