package io.asyncsidecar.controlplane.plugins.compliance.hif;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;

/**
 * Validates a parsed document against a schema with networknt's JSON Schema validator, and for the shipped
 * schema also runs the {@link HifGraphChecks}. Thread-safe: schemas are shared, every run has its own state.
 */
public final class HifValidator {

    private final HifSettings settings;

    /**
     * @param settings the limits on errors and warnings listed
     */
    public HifValidator(HifSettings settings) {
        this.settings = settings;
    }

    /**
     * @param schema   the schema
     * @param document the document
     * @return the report ({@code nanos} counts this call only)
     */
    public HifReport validate(HifSchema schema, HifDocument document) {
        long start = System.nanoTime();
        ObjectNode root = document.root();
        HifShape shape = schema.builtIn() ? HifShape.closest(root) : null;
        Schema target = shape == null ? schema.root() : schema.shapes().get(shape);
        HifErrorList errors = new HifErrorList(settings.maxErrors());
        target.validate(root, ctx -> {
            ctx.setErrors(errors);
            if (shape != null) {
                // the shipped schema means its formats (date-time): assert them, as 2020-12 leaves to the validator
                ctx.executionConfig(c -> c.formatAssertionsEnabled(true));
            }
        });
        List<HifIssue> issues = new ArrayList<>(errors.kept().size());
        for (Error e : errors.kept()) {
            issues.add(issue(e, schema));
        }
        List<HifIssue> warnings = List.of();
        long warningCount = 0;
        if (shape != null) {
            HifGraphChecks checks = HifGraphChecks.run(shape, root, settings.maxWarnings());
            warnings = checks.warnings();
            warningCount = checks.count();
        }
        return new HifReport(schema.name(), shape, issues, errors.count(), warnings, warningCount, document.bytes(),
                System.nanoTime() - start);
    }

    private static HifIssue issue(Error e, HifSchema schema) {
        String location = e.getSchemaLocation() == null ? null : e.getSchemaLocation().toString();
        if (location != null) {
            int hash = location.indexOf('#');
            location = hash >= 0 ? location.substring(hash) : location;
        }
        String message = e.getMessage();
        if ("format".equals(e.getKeyword()) && e.getSchemaNode() != null && e.getSchemaNode().isTextual()) {
            // the validator's own wording repeats itself ("does not match the date-time pattern must be ...")
            String format = e.getSchemaNode().asText();
            message = "is not a valid " + format + (format.equals("date-time") ? " (RFC 3339, e.g. 2026-11-30T09:15:02Z)" : "");
        }
        return new HifIssue(e.getInstanceLocation().toString(), e.getKeyword(), message, e.getProperty(), location);
    }
}
