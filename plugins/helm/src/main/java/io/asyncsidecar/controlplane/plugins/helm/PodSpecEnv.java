package io.asyncsidecar.controlplane.plugins.helm;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.checks.ManifestValues;
import io.asyncsidecar.controlplane.plugins.helm.PodSpecChecks.Container;
import io.asyncsidecar.controlplane.spi.checks.CheckRule;
import io.asyncsidecar.controlplane.spi.checks.Severity;

/**
 * Secrets where they do not belong: literal env values that look like secrets, secrets read into env vars,
 * ConfigMap entries that look like secrets; and env vars set twice.
 */
final class PodSpecEnv {

    static final CheckRule SECRET_LITERAL = new CheckRule("helm.env-secret-literal", Severity.ERROR,
            "No env var whose name says secret, password, token or bearer (or names a cloud key, such as"
                    + " AWS_SECRET_ACCESS_KEY) holds a literal value, and no literal value is a private key.");
    static final CheckRule SECRET_REF = new CheckRule("helm.env-secret-ref", Severity.INFO,
            "Containers read Secrets from mounted files rather than env vars (valueFrom.secretKeyRef,"
                    + " envFrom.secretRef).");
    static final CheckRule DUPLICATE = new CheckRule("helm.env-duplicate", Severity.WARNING,
            "A container sets each env var once.");
    static final CheckRule CONFIGMAP_SECRET = new CheckRule("helm.configmap-sensitive-content", Severity.ERROR,
            "No ConfigMap entry looks like a secret (a key naming a password, token or secret, or a private key).");

    static final List<CheckRule> RULES = List.of(SECRET_LITERAL, SECRET_REF, DUPLICATE, CONFIGMAP_SECRET);

    /** kube-linter's env-var-secret ({@code secret}) and Polaris' sensitive names, case-insensitive. */
    private static final Pattern SENSITIVE_NAME = Pattern.compile("(?i)secret|password|token|bearer"
            + "|^AWS_SECRET_ACCESS_KEY$|^GOOGLE_APPLICATION_CREDENTIALS$|^AZURE_.+KEY$|^OCI_CLI_KEY_CONTENT$");
    private static final Pattern PRIVATE_KEY = Pattern.compile("(?i)-BEGIN\\s+.*PRIVATE KEY-");
    /**
     * Values that cannot be the secret their name suggests: a file path names where the secret is
     * (GOOGLE_APPLICATION_CREDENTIALS, PASSWORD_FILE), a boolean switches a feature (KEDA_RESTRICT_SECRET_ACCESS).
     */
    private static final Pattern NOT_A_SECRET = Pattern.compile("(?i)/\\S*|true|false");

    private final PodSpecChecks checks;

    PodSpecEnv(PodSpecChecks checks) {
        this.checks = checks;
    }

    void check(Container c) {
        RenderedObject o = c.pod().object();
        List<Map<String, Object>> env = ManifestValues.maps(c.spec(), "env");
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < env.size(); i++) {
            Map<String, Object> e = env.get(i);
            String name = ManifestValues.string(e, "name");
            String at = c.path() + ".env[" + i + "]";
            if (name != null && checks.judgeable(name)) {
                Integer first = seen.putIfAbsent(name, i);
                if (first != null) {
                    checks.report(DUPLICATE, o, c, at + ".name", o.line(e, "name"),
                            c.subject() + " sets env var " + name + " twice (env[" + first + "] and env[" + i
                                    + "]): only the last one counts, and a change to the first does nothing",
                            "Keep one entry for " + name + ".");
                }
            }
            String value = ManifestValues.string(e, "value");
            if (name != null && value != null && !value.isBlank() && checks.judgeable(value)
                    && (PRIVATE_KEY.matcher(value).find()
                    || (SENSITIVE_NAME.matcher(name).find() && !NOT_A_SECRET.matcher(value.strip()).matches()))) {
                // The value itself is never shown: the finding would spread the secret.
                checks.report(SECRET_LITERAL, o, c, at + ".value", o.line(e, "value"),
                        c.subject() + " sets env var " + name + " to a literal value that looks like a secret: it"
                                + " is stored in the chart, the release and the object, readable by anyone who can"
                                + " read them",
                        "Put the value in a Secret and read it with valueFrom.secretKeyRef, or better, mount it as"
                                + " a file.");
            }
            Map<String, Object> ref = ManifestValues.map(e, "valueFrom", "secretKeyRef");
            if (!ref.isEmpty()) {
                checks.report(SECRET_REF, o, c, at + ".valueFrom.secretKeyRef",
                        PodSpecChecks.line(o, e, "valueFrom", "secretKeyRef"),
                        c.subject() + " reads key '" + ManifestValues.string(ref, "key") + "' of Secret '"
                                + ManifestValues.string(ref, "name") + "' into env var " + name + ": env vars leak"
                                + " into logs, crash dumps and child processes",
                        "Mount the Secret as a volume and read the file instead.");
            }
        }
        List<Map<String, Object>> envFrom = ManifestValues.maps(c.spec(), "envFrom");
        for (int i = 0; i < envFrom.size(); i++) {
            Map<String, Object> ref = ManifestValues.map(envFrom.get(i), "secretRef");
            if (!ref.isEmpty()) {
                checks.report(SECRET_REF, o, c, c.path() + ".envFrom[" + i + "].secretRef",
                        o.line(envFrom.get(i), "secretRef"),
                        c.subject() + " reads every key of Secret '" + ManifestValues.string(ref, "name")
                                + "' into env vars: env vars leak into logs, crash dumps and child processes",
                        "Mount the Secret as a volume and read the files instead.");
            }
        }
    }

    /** Polaris' sensitiveConfigmapContent. */
    void checkConfigMaps(List<RenderedObject> objects) {
        for (RenderedObject o : objects) {
            if (!"ConfigMap".equals(o.kind())) {
                continue;
            }
            Map<String, Object> data = ManifestValues.map(o.manifest(), "data");
            for (Map.Entry<String, Object> e : data.entrySet()) {
                String value = e.getValue() == null ? "" : e.getValue().toString();
                boolean privateKey = PRIVATE_KEY.matcher(value).find();
                boolean named = SENSITIVE_NAME.matcher(e.getKey()).find() && !value.isBlank()
                        && !NOT_A_SECRET.matcher(value.strip()).matches();
                if ((privateKey || named) && checks.judgeable(value)) {
                    checks.report(CONFIGMAP_SECRET, o, null, "data." + e.getKey(), o.line(data, e.getKey()),
                            "ConfigMap/" + o.name() + " holds " + (privateKey ? "a private key" : "a value that"
                                    + " looks like a secret") + " under '" + e.getKey() + "': ConfigMaps are not"
                                    + " meant for secrets and are readable by anyone who can read the namespace",
                            "Move the value into a Secret (or an external secret store) and mount it from there.");
                }
            }
        }
    }
}
