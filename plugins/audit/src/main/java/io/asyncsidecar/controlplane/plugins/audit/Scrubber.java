package io.asyncsidecar.controlplane.plugins.audit;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * Removes secrets from entries on their way out: defence in depth behind the producers' own sanitiser, which
 * may miss a token pasted into a free-text field. Replaced are emails, {@code Bearer}/{@code Basic} credentials,
 * JWTs, well-known API key formats, credentials in URLs, {@code key=value} pairs whose key names a secret
 * ({@code password=...}, {@code api_key: ...}), private key blocks, and the whole value of members whose name does
 * ({@code "password"}, {@code "client_secret"}, {@code "authorization"}, ...). Field names are kept.
 *
 * <p>Each rule first checks a cheap literal so that the common string (no secret) costs a few {@code indexOf}s,
 * not a regular expression per rule. Quantifiers are bounded and possessive: a hostile value cannot make a rule
 * backtrack.
 */
final class Scrubber {

    static final String REDACTED = "[redacted]";

    private static final Set<String> SECRET_KEYS = Set.of("password", "passwd", "pwd", "secret", "token",
            "apikey", "authorization", "cookie", "setcookie", "credential", "credentials", "privatekey",
            "secretkey", "accesskey", "sessionid", "passphrase");
    private static final List<String> SECRET_KEY_ENDINGS = List.of("password", "passwd", "secret", "token",
            "apikey", "privatekey", "credentials", "passphrase");

    private record Rule(String[] triggers, boolean ignoreCase, Pattern pattern, String replacement) {
        boolean mayApply(String s, String lower) {
            for (String t : triggers) {
                if ((ignoreCase ? lower : s).contains(t)) {
                    return true;
                }
            }
            return false;
        }
    }

    private static final List<Rule> RULES = List.of(
            new Rule(new String[] {"private key"}, true,
                    Pattern.compile("-----BEGIN [A-Z ]{0,40}PRIVATE KEY-----.*?(?:-----END [A-Z ]{0,40}PRIVATE KEY-----|$)",
                            Pattern.DOTALL), "[private-key]"),
            new Rule(new String[] {"bearer", "basic"}, true,
                    Pattern.compile("(?i)\\b(bearer|basic)(\\s{1,10}+)[A-Za-z0-9._~+/=-]{8,4096}+"),
                    "$1$2" + REDACTED),
            new Rule(new String[] {"eyj"}, true,
                    Pattern.compile("\\beyJ[A-Za-z0-9_-]{4,4096}+\\.[A-Za-z0-9_-]{2,8192}+\\.[A-Za-z0-9_-]{0,4096}+"),
                    "[jwt]"),
            new Rule(new String[] {"akia", "asia", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-",
                    "xox", "sk-", "sk_", "rk_", "aiza"}, true,
                    Pattern.compile("\\b(?:(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}"
                            + "|gh[pousr]_[A-Za-z0-9]{30,255}+|github_pat_[A-Za-z0-9_]{22,255}+|glpat-[A-Za-z0-9_-]{20,255}+"
                            + "|xox[abposr]-[A-Za-z0-9-]{10,255}+|[sr]k_(?:live|test)_[A-Za-z0-9]{16,255}+"
                            + "|sk-[A-Za-z0-9_-]{20,255}+|AIza[0-9A-Za-z_-]{35})\\b"), "[api-key]"),
            new Rule(new String[] {"://"}, false,
                    Pattern.compile("([a-zA-Z][a-zA-Z0-9+.-]{0,20}+://[^\\s:/@]{1,256}+:)[^\\s/@]{1,256}+@"),
                    "$1" + REDACTED + "@"),
            new Rule(new String[] {"pass", "pwd", "secret", "token", "key", "credential", "auth"}, true,
                    Pattern.compile("(?i)\\b([a-z0-9_.-]{0,40}?(?:password|passwd|pwd|passphrase|secret|token|api[_-]?key"
                            + "|access[_-]?key|private[_-]?key|credentials?|auth))([\"']?\\s{0,10}+[=:]\\s{0,10}+[\"']?)"
                            + "(?![\\[\"'])([^\\s\"'&,;}]{1,4096}+)"), "$1$2" + REDACTED),
            new Rule(new String[] {"@"}, false,
                    Pattern.compile("[A-Za-z0-9._%+-]{1,64}+@[A-Za-z0-9-]{1,63}+(?:\\.[A-Za-z0-9-]{1,63}+){0,8}+"
                            + "(?<=\\.[A-Za-z]{2,24})"), "[email]"));

    private Scrubber() {
    }

    /**
     * Scrubs an entry.
     *
     * @param entry the parsed entry
     * @return the entry with secrets replaced; the same instance when nothing was replaced
     */
    static JsonObject scrub(JsonObject entry) {
        return (JsonObject) value(entry);
    }

    /**
     * Scrubs free text.
     *
     * @param s the text
     * @return the text with secrets replaced; the same instance when nothing was replaced
     */
    static String text(String s) {
        String lower = s.toLowerCase(Locale.ROOT);
        String out = s;
        for (Rule r : RULES) {
            if (r.mayApply(out, lower)) {
                Matcher m = r.pattern().matcher(out);
                if (m.find()) {
                    out = m.replaceAll(r.replacement());
                    lower = out.toLowerCase(Locale.ROOT);
                }
            }
        }
        return out;
    }

    private static JsonValue value(JsonValue v) {
        return switch (v.getValueType()) {
            case OBJECT -> object(v.asJsonObject());
            case ARRAY -> array(v.asJsonArray());
            case STRING -> {
                String s = ((JsonString) v).getString();
                String t = text(s);
                yield t == s ? v : JsonCodec.value(t);
            }
            default -> v;
        };
    }

    private static JsonValue object(JsonObject o) {
        JsonObjectBuilder b = null;
        int i = 0;
        for (Map.Entry<String, JsonValue> e : o.entrySet()) {
            JsonValue v = e.getValue();
            JsonValue out = secretKey(e.getKey()) && v.getValueType() != JsonValue.ValueType.NULL
                    && !(v instanceof JsonString s && s.getString().isEmpty()) ? JsonCodec.value(REDACTED) : value(v);
            if (out != v && b == null) {
                b = JsonCodec.objectBuilder();
                int k = 0;
                for (Map.Entry<String, JsonValue> before : o.entrySet()) {
                    if (k++ == i) {
                        break;
                    }
                    b.add(before.getKey(), before.getValue());
                }
            }
            if (b != null) {
                b.add(e.getKey(), out);
            }
            i++;
        }
        return b == null ? o : b.build();
    }

    private static JsonValue array(JsonArray a) {
        JsonArrayBuilder b = null;
        for (int i = 0; i < a.size(); i++) {
            JsonValue v = a.get(i);
            JsonValue out = value(v);
            if (out != v && b == null) {
                b = JsonCodec.arrayBuilder();
                for (int k = 0; k < i; k++) {
                    b.add(a.get(k));
                }
            }
            if (b != null) {
                b.add(out);
            }
        }
        return b == null ? a : b.build();
    }

    static boolean secretKey(String key) {
        if (key.length() > 64) {
            return false;
        }
        StringBuilder n = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (c != '_' && c != '-' && c != '.' && c != ' ') {
                n.append(Character.toLowerCase(c));
            }
        }
        String k = n.toString();
        if (SECRET_KEYS.contains(k)) {
            return true;
        }
        for (String end : SECRET_KEY_ENDINGS) {
            if (k.endsWith(end)) {
                return true;
            }
        }
        return false;
    }
}
