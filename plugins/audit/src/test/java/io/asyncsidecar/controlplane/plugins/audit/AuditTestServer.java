package io.asyncsidecar.controlplane.plugins.audit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;

/**
 * The test servers' config: static tokens for two tenants, a tenants.admin and a caller without the scope.
 */
final class AuditTestServer {

    static final String ALICE = "alice-token";   // tenant tA, security.read
    static final String BOB = "bob-token";       // tenant tB, security.read
    static final String ROOT = "root-token";     // tenant ops, security.read + tenants.admin
    static final String VIEWER = "viewer-token"; // tenant tA, tests.read only
    static final String TOKENS = "{"
            + "\"alice-token\":{\"tenant_id\":\"tA\",\"subject\":\"alice\",\"scopes\":[\"security.read\"]},"
            + "\"bob-token\":{\"tenant_id\":\"tB\",\"subject\":\"bob\",\"scopes\":[\"security.read\"]},"
            + "\"root-token\":{\"tenant_id\":\"ops\",\"subject\":\"root\",\"scopes\":[\"security.read\",\"tenants.admin\"]},"
            + "\"viewer-token\":{\"tenant_id\":\"tA\",\"subject\":\"viewer\",\"scopes\":[\"tests.read\"]}}";

    private AuditTestServer() {
    }

    /**
     * @param workspace  the workspace (relative log paths resolve against it)
     * @param path       plugins.audit.path
     * @param extraPaths plugins.audit.extra-paths
     * @param extra      more keys
     */
    static Config config(Path workspace, String path, List<String> extraPaths, Map<String, String> extra) {
        Map<String, String> m = new HashMap<>();
        m.put("auth.mode", "static");
        m.put("auth.tokens-json", TOKENS);
        m.put("workspace", workspace.toString());
        m.put("data-dir", workspace.resolve("data").toString());
        m.put("plugins.dir", "target/no-plugins-dir");
        m.put("ui-dir", "target/no-ui-dir");
        m.put("plugins.audit.path", path);
        for (int i = 0; i < extraPaths.size(); i++) {
            m.put("plugins.audit.extra-paths." + i, extraPaths.get(i));
        }
        m.putAll(extra);
        return Config.just(ConfigSources.create(m));
    }
}
