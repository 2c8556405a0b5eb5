package io.asyncsidecar.controlplane.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.UUID;

/**
 * A workspace written by a test to attack the server: beside it, outside it, a secret file (a Kubernetes object
 * whose name is the secret, so it would show in any answer that read it as YAML or as text) and a folder holding
 * another copy; in it, whatever the test writes, symbolic links out to the secret, and YAML bombs. Made under
 * {@code target/} in a fresh temporary folder, so concurrent test classes do not meet.
 */
public final class HostileWorkspace {

    private final Path root;
    private final Path outside;
    private final String secret;

    private HostileWorkspace(Path root, Path outside, String secret) {
        this.root = root;
        this.outside = outside;
        this.secret = secret;
    }

    /**
     * Creates the workspace and the secret outside it.
     *
     * @param name a prefix for the temporary folder
     * @return the workspace, empty
     */
    public static HostileWorkspace create(String name) {
        try {
            Path base = Files.createTempDirectory(Files.createDirectories(Path.of("target")), name + "-")
                    .toAbsolutePath();
            Path outside = Files.createDirectories(base.resolve("outside"));
            String secret = "s3cr3t-" + UUID.randomUUID();
            String object = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + secret + "\ndata:\n  AUTH_TOKENS_JSON: "
                    + secret + "\n";
            Files.writeString(outside.resolve("environ"), object);
            Files.createDirectories(outside.resolve("folder"));
            Files.writeString(outside.resolve("folder/secret.yaml"), object);
            return new HostileWorkspace(Files.createDirectories(base.resolve("workspace")), outside, secret);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** @return the workspace root (absolute) */
    public Path root() {
        return root;
    }

    /** @return the text that must never appear in an answer */
    public String secret() {
        return secret;
    }

    /**
     * Whether an answer leaks: the secret, or an absolute path of the server (the workspace's or the secret's).
     *
     * @param answer a response body
     * @return true when it shows what it must not
     */
    public boolean leaks(String answer) {
        return answer.contains(secret) || answer.contains(root.toString()) || answer.contains(outside.toString());
    }

    /**
     * Writes a file, creating its folders.
     *
     * @param relative the path in the workspace
     * @param text     the content
     * @return this
     */
    public HostileWorkspace write(String relative, String text) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Makes a symbolic link to the secret file outside the workspace.
     *
     * @param relative the link's path in the workspace
     * @return this
     */
    public HostileWorkspace linkToSecret(String relative) {
        return link(relative, outside.resolve("environ"));
    }

    /**
     * Makes a symbolic link to the folder outside the workspace that holds {@code secret.yaml}.
     *
     * @param relative the link's path in the workspace
     * @return this
     */
    public HostileWorkspace linkToSecretFolder(String relative) {
        return link(relative, outside.resolve("folder"));
    }

    /**
     * Makes a symbolic link to another path of the workspace.
     *
     * @param relative the link's path
     * @param target   the target, relative to the workspace
     * @return this
     */
    public HostileWorkspace linkInside(String relative, String target) {
        return link(relative, root.resolve(target));
    }

    private HostileWorkspace link(String relative, Path target) {
        try {
            Path p = root.resolve(relative);
            Files.createDirectories(p.getParent());
            Files.deleteIfExists(p);
            Files.createSymbolicLink(p, target);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A billion-laughs mapping under SnakeYAML's alias limit: eight levels of ten aliases to the level before, 80
     * aliases in about 450 bytes standing for 10^8 scalars.
     *
     * @return the YAML text, a mapping (so it is also a values file)
     */
    public static String aliasBomb() {
        StringBuilder sb = new StringBuilder("l0: &l0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i <= 8; i++) {
            sb.append('l').append(i).append(": &l").append(i).append(" [")
                    .append(String.join(",", Collections.nCopies(10, "*l" + (i - 1)))).append("]\n");
        }
        return sb.toString();
    }

    /**
     * A merge-key bomb: each level merges the one before nine times and nests it once, 80 aliases in about 520
     * bytes.
     *
     * @return the YAML text, a mapping
     */
    public static String mergeBomb() {
        StringBuilder sb = new StringBuilder("m0: &m0 {a: 1, b: 2, c: 3, d: 4}\n");
        for (int i = 1; i <= 8; i++) {
            String prev = "*m" + (i - 1);
            sb.append('m').append(i).append(": &m").append(i).append(" {<<: [")
                    .append(String.join(",", Collections.nCopies(9, prev))).append("], k").append(i).append(": ")
                    .append(prev).append("}\n");
        }
        return sb.toString();
    }
}
