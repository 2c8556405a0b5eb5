package io.asyncsidecar.controlplane.server;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

import io.asyncsidecar.controlplane.kit.WorkspaceFiles;
import io.asyncsidecar.controlplane.spi.ProblemException;

import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * Stands before the static GUI: a path whose real location leaves {@code ui-dir} (a symbolic link in the folder,
 * or a folder on the way that is one) is a 404, as for a file that does not exist, instead of the linked file.
 * Helidon's static content follows links; the path it gets is already normalised by {@link RequestPaths}.
 */
final class UiLinkGuard implements Handler {

    private static final String WELCOME = "index.html";

    private final WorkspaceFiles ui;

    UiLinkGuard(Path uiDir) {
        this.ui = WorkspaceFiles.of(uiDir);
    }

    @Override
    public void handle(ServerRequest req, ServerResponse res) {
        Path candidate;
        try {
            candidate = ui.workspace().resolve(req.path().path().substring(1)).normalize();
        } catch (InvalidPathException e) {
            throw notFound(req);
        }
        if (leaves(candidate) || (Files.isDirectory(candidate) && leaves(candidate.resolve(WELCOME)))) {
            throw notFound(req);
        }
        res.next();
    }

    private boolean leaves(Path p) {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try {
            ui.realPath(p);
            return false;
        } catch (WorkspaceFiles.Refused r) {
            return r.reason() == WorkspaceFiles.Reason.OUTSIDE;
        }
    }

    private static ProblemException notFound(ServerRequest req) {
        return ProblemException.notFound("no route for " + req.prologue().method().text() + " " + req.path().rawPath());
    }
}
