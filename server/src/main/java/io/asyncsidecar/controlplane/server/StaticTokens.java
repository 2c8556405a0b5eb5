package io.asyncsidecar.controlplane.server;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import io.asyncsidecar.controlplane.kit.JsonCodec;

import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * The static bearer tokens: token (or {@code sha256:<hex>} of it) to tenant, scopes and subject.
 *
 * <p>The format is the hypergraph gateway's: a JSON object, plain or base64-encoded, whose values are
 * {@code {"tenant_id", "scopes", "subject"}} with scopes a list or a comma-separated string. Only SHA-256
 * digests of the tokens are kept in memory, and a lookup compares the presented token's digest with every
 * entry in constant time, so neither timing nor a heap dump reveals a token.
 */
public final class StaticTokens {

    /**
     * What a token grants.
     *
     * @param tenantId the token's tenant
     * @param scopes   the granted scopes
     * @param subject  who holds it
     */
    public record Grant(String tenantId, Set<String> scopes, String subject) {
    }

    private record Entry(byte[] digest, Grant grant) {
    }

    private final List<Entry> entries;

    private StaticTokens(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** @return no tokens: every bearer token is unknown */
    public static StaticTokens empty() {
        return new StaticTokens(List.of());
    }

    /**
     * Parses the token map.
     *
     * @param text   JSON or base64 of JSON
     * @param source the config key or file it came from, for messages
     * @return the tokens
     * @throws InvalidConfigurationException naming the source and what is wrong (never the token itself)
     */
    public static StaticTokens parse(String text, String source) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return empty();
        }
        if (!trimmed.startsWith("{")) {
            try {
                trimmed = new String(Base64.getDecoder().decode(trimmed.replaceAll("\\s", "")),
                        StandardCharsets.UTF_8).strip();
            } catch (IllegalArgumentException e) {
                throw new InvalidConfigurationException(source, "neither a JSON object nor base64-encoded JSON");
            }
        }
        JsonObject root;
        try (var reader = JsonCodec.reader(new ByteArrayInputStream(trimmed.getBytes(StandardCharsets.UTF_8)))) {
            JsonValue v = reader.readValue();
            if (!(v instanceof JsonObject o)) {
                throw new InvalidConfigurationException(source, "must be a JSON object mapping token to grant");
            }
            root = o;
        } catch (JsonException e) {
            throw new InvalidConfigurationException(source, "unparsable JSON: " + e.getMessage());
        }
        List<Entry> entries = new ArrayList<>();
        int index = 0;
        for (var e : root.entrySet()) {
            index++;
            String where = "entry #" + index;
            if (!(e.getValue() instanceof JsonObject grant)) {
                throw new InvalidConfigurationException(source, where + " must map to an object {tenant_id, scopes, subject}");
            }
            String tenant = string(grant, "tenant_id", source, where);
            String subject = grant.containsKey("subject") ? string(grant, "subject", source, where) : "token-" + index;
            Set<String> scopes = scopes(grant.get("scopes"), source, where);
            entries.add(new Entry(digestOf(e.getKey(), source, where), new Grant(tenant, scopes, subject)));
        }
        return new StaticTokens(entries);
    }

    /**
     * Finds the grant of a presented token.
     *
     * @param token the bearer token
     * @return the grant, or empty for an unknown token
     */
    public Optional<Grant> lookup(String token) {
        byte[] digest = sha256(token.getBytes(StandardCharsets.UTF_8));
        Grant found = null;
        // Compare with every entry, whatever matched, so the time does not depend on where a match is.
        for (Entry e : entries) {
            if (MessageDigest.isEqual(e.digest, digest) & found == null) {
                found = e.grant;
            }
        }
        return Optional.ofNullable(found);
    }

    /** @return how many tokens are configured */
    public int size() {
        return entries.size();
    }

    private static byte[] digestOf(String key, String source, String where) {
        if (key.regionMatches(true, 0, "sha256:", 0, 7)) {
            String hex = key.substring(7).toLowerCase(Locale.ROOT);
            if (!hex.matches("[0-9a-f]{64}")) {
                throw new InvalidConfigurationException(source, where + ": a sha256: key needs 64 hex digits");
            }
            return HexFormat.of().parseHex(hex);
        }
        if (key.isEmpty()) {
            throw new InvalidConfigurationException(source, where + ": empty token");
        }
        return sha256(key.getBytes(StandardCharsets.UTF_8));
    }

    private static String string(JsonObject o, String name, String source, String where) {
        JsonValue v = o.get(name);
        if (!(v instanceof JsonString s) || s.getString().isBlank()) {
            throw new InvalidConfigurationException(source, where + ": '" + name + "' must be a non-empty string");
        }
        return s.getString();
    }

    private static Set<String> scopes(JsonValue v, String source, String where) {
        Set<String> scopes = new LinkedHashSet<>();
        if (v == null || v == JsonValue.NULL) {
            return scopes;
        }
        if (v instanceof JsonString s) {
            Arrays.stream(s.getString().split(",")).map(String::strip).filter(x -> !x.isEmpty()).forEach(scopes::add);
        } else if (v instanceof JsonArray a) {
            for (JsonValue item : a) {
                if (!(item instanceof JsonString s)) {
                    throw new InvalidConfigurationException(source, where + ": 'scopes' must hold strings");
                }
                scopes.add(s.getString().strip());
            }
        } else {
            throw new InvalidConfigurationException(source, where + ": 'scopes' must be a list or a comma-separated string");
        }
        return scopes;
    }

    static byte[] sha256(byte[] data) {
        try {
            // A clone costs a fraction of getInstance's provider lookup, which runs on every request otherwise.
            return ((MessageDigest) SHA_256.clone()).digest(data);
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }

    private static final MessageDigest SHA_256 = sha256Prototype();

    private static MessageDigest sha256Prototype() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
