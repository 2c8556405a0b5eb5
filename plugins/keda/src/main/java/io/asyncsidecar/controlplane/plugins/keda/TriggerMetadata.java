package io.asyncsidecar.controlplane.plugins.keda;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a trigger's metadata may show: plain settings as they are, values under keys that name credentials
 * masked, and the environment variables that {@code *FromEnv} keys point at listed as references. Shown verbatim,
 * metadata would leak connection strings written inline to every caller holding {@code autoscaling.read}.
 */
final class TriggerMetadata {

    static final String MASK = "***";
    private static final Pattern SECRET_KEY = Pattern.compile(
            "(?i).*(password|passwd|secret|token|connection|apikey|api_key|accesskey|credential|sasl|privatekey"
                    + "|clientkey|cert).*");

    private static final Pattern USER_INFO = Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@\\s]*:)[^@\\s]+@");

    private TriggerMetadata() {
    }

    /**
     * The metadata to show.
     *
     * @param metadata a trigger's {@code metadata}
     * @return keys in order, credential-like values replaced by {@value #MASK}
     */
    static Map<String, Object> masked(Map<String, Object> metadata) {
        Map<String, Object> out = new LinkedHashMap<>();
        metadata.forEach((k, v) -> out.put(k, isReference(k) || !SECRET_KEY.matcher(k).matches()
                ? maskUserInfo(v) : MASK));
        return out;
    }

    /**
     * The environment variables the metadata reads secrets from.
     *
     * @param metadata a trigger's {@code metadata}
     * @return {@code env:<NAME>} entries
     */
    static List<String> envReferences(Map<String, Object> metadata) {
        return metadata.entrySet().stream().filter(e -> isReference(e.getKey()) && e.getValue() != null)
                .map(e -> "env:" + e.getValue()).toList();
    }

    /** Connection URLs such as {@code amqp://user:password@host} carry a password in their user info. */
    private static Object maskUserInfo(Object value) {
        return value instanceof String s ? USER_INFO.matcher(s).replaceAll("$1" + MASK + "@") : value;
    }

    private static boolean isReference(String key) {
        return key.endsWith("FromEnv") || key.endsWith("FromEnvFile");
    }
}
