package io.asyncsidecar.controlplane.plugins.compliance;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

import io.asyncsidecar.controlplane.kit.ConcurrencyLimit;
import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifDocument;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifDocumentReader;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifMinimalCheck;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifReport;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifSchema;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifSchemas;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifSettings;
import io.asyncsidecar.controlplane.plugins.compliance.hif.HifValidator;
import io.asyncsidecar.controlplane.spi.PluginContext;
import io.asyncsidecar.controlplane.spi.PluginRoutes;
import io.asyncsidecar.controlplane.spi.ProblemException;
import io.asyncsidecar.controlplane.spi.RequiredScopes;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;

/**
 * {@code POST /api/compliance/hif/validate[?schema=<name>][&mode=full|minimal]} (scope {@code compliance.read}):
 * validates a HIF document, posted bare or as {@code {"payload": <document>}}, against the shipped schema or a
 * schema of {@code plugins.compliance.hif.schema-dir}. The answer is 200 whether the document is valid or not:
 * {@code valid}, and when invalid {@code message}, every error (JSON pointer, failed keyword, message) and the
 * shape that came closest; warnings for what the schema cannot check. A body that is not a JSON object is a
 * 4xx naming the problem; one over {@code max-bytes} is 413.
 */
final class HifValidationApi {

    static final RequiredScopes SCOPE = RequiredScopes.of("compliance.read");

    private final HifSettings settings;
    private final HifSchemas schemas;
    private final HifDocumentReader reader;
    private final HifValidator validator;
    private final HifMinimalCheck minimal;
    private final ConcurrencyLimit slots;

    HifValidationApi(PluginContext context) {
        this(HifSettings.from(context.config(), context.workspace()), context.logger());
    }

    HifValidationApi(HifSettings settings, System.Logger log) {
        this.settings = settings;
        this.schemas = HifSchemas.load(settings.schemaDir(), log);
        this.reader = new HifDocumentReader(settings);
        this.validator = new HifValidator(settings);
        this.minimal = new HifMinimalCheck(settings);
        this.slots = ConcurrencyLimit.of("HIF validations", "plugins.compliance.hif.max-concurrent", settings.maxConcurrent(),
                4 * settings.maxConcurrent(), Duration.ofMillis(settings.queueTimeoutMillis()));
        log.log(System.Logger.Level.INFO, "compliance: HIF schemas " + schemas.all().keySet() + ", documents up to "
                + settings.maxBytes() + " bytes (about " + settings.maxBytes() * HifSettings.HEAP_PER_BYTE / (1024 * 1024)
                + " MiB of heap each), " + settings.maxConcurrent() + " validations at once");
    }

    void routes(PluginRoutes routes) {
        routes.post("/hif/validate", SCOPE, this::validate);
    }

    private void validate(ServerRequest req, ServerResponse res) {
        String mode = req.query().first("mode").orElse("full").trim().toLowerCase(Locale.ROOT);
        String schemaName = req.query().first("schema").map(String::trim).orElse("");
        if (!mode.equals("full") && !mode.equals("minimal")) {
            throw ProblemException.badRequest("unknown mode '" + shorten(mode) + "': use full (the default) or minimal");
        }
        if (mode.equals("minimal") && !schemaName.isEmpty()) {
            throw ProblemException.badRequest("schema='" + shorten(schemaName) + "' applies to mode=full only:"
                    + " mode=minimal checks meta.version alone");
        }
        HifSchema schema = schemas.get(schemaName.isEmpty() ? HifSchemas.BUILT_IN : schemaName);
        checkBody(req);
        Map<String, Object> body = mode.equals("minimal") ? minimal(req) : full(req, schema);
        res.headers().contentType(MediaTypes.APPLICATION_JSON);
        res.send(JsonCodec.writeBytes(body));
    }

    private Map<String, Object> minimal(ServerRequest req) {
        try (InputStream in = req.content().inputStream()) {
            return minimal.check(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Map<String, Object> full(ServerRequest req, HifSchema schema) {
        // The tree of a document costs several times its size: a bounded number are held at once.
        return slots.call(() -> validateFull(req, schema));
    }

    private Map<String, Object> validateFull(ServerRequest req, HifSchema schema) {
        try (InputStream in = req.content().inputStream()) {
            long start = System.nanoTime();
            HifDocument document = reader.read(in);
            HifReport report = validator.validate(schema, document);
            long nanos = System.nanoTime() - start;
            return new HifReport(report.schema(), report.shape(), report.errors(), report.errorCount(),
                    report.warnings(), report.warningCount(), report.bytes(), nanos).toMap();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Refuses, before reading, a body that is not JSON or that announces more than max-bytes. */
    private void checkBody(ServerRequest req) {
        OptionalLong length = req.headers().contentLength();
        String type = req.headers().first(HeaderNames.CONTENT_TYPE).orElse("");
        if (length.isPresent() && length.getAsLong() == 0 && type.isEmpty()) {
            throw ProblemException.badRequest("request body is empty: send a HIF document, or {\"payload\": <document>}");
        }
        if (!isJson(type)) {
            throw ProblemException.of(415, "Unsupported Media Type", "a HIF document must be sent as application/json,"
                    + " got " + (type.isEmpty() ? "no content type" : "'" + shorten(type) + "'"));
        }
        if (length.isPresent() && length.getAsLong() > settings.maxBytes()) {
            throw ProblemException.of(413, "Content Too Large", "HIF document of " + length.getAsLong() + " bytes exceeds"
                    + " plugins.compliance.hif.max-bytes (" + settings.maxBytes() + " bytes)");
        }
    }

    private static boolean isJson(String contentType) {
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        t = (semi >= 0 ? t.substring(0, semi) : t).trim();
        return t.equals("application/json") || t.endsWith("+json");
    }

    private static String shorten(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
