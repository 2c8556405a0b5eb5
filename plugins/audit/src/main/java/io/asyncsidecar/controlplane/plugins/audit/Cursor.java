package io.asyncsidecar.controlplane.plugins.audit;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import io.asyncsidecar.controlplane.kit.JsonCodec;
import io.asyncsidecar.controlplane.spi.ProblemException;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonStructure;

/**
 * Where the next page starts: in the file whose first {@code headLength} bytes have the fingerprint {@code head},
 * the lines that start before {@code offset} ({@code -1}: the whole file). Files are found by content rather
 * than by name, so a cursor still works after the log rotated between two pages (renamed, copied and truncated,
 * or compressed). {@code query} binds it to the filters and tenant it was made for.
 *
 * @param head       fingerprint of the file's beginning ({@link LogFile#fingerprint(int)})
 * @param headLength how many bytes the fingerprint covers
 * @param offset     the file offset (of the decompressed content) to read backwards from, or -1
 * @param query      {@link AuditQuery#fingerprint()} of the query
 */
record Cursor(String head, int headLength, long offset, String query) {

    /**
     * The text form: URL-safe base64 of a small JSON object.
     *
     * @return the token
     */
    String encode() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("h", head);
        m.put("n", headLength);
        m.put("o", offset);
        m.put("q", query);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(JsonCodec.writeBytes(m));
    }

    /**
     * Reads a cursor a previous answer gave.
     *
     * @param text  the {@code cursor} parameter
     * @param query the fingerprint of the query it is used with
     * @return the cursor
     * @throws ProblemException 400 when it is not one of ours or belongs to another query
     */
    static Cursor decode(String text, String query) {
        Cursor c;
        try {
            if (text.length() > 512) {
                throw new IllegalArgumentException("too long");
            }
            JsonStructure s = JsonCodec.read(new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8));
            JsonObject o = s.asJsonObject();
            if (!(o.get("h") instanceof JsonString h) || !(o.get("n") instanceof JsonNumber n)
                    || !(o.get("o") instanceof JsonNumber off) || !(o.get("q") instanceof JsonString q)
                    || o.getInt("v", 0) != 1) {
                throw new IllegalArgumentException("fields");
            }
            c = new Cursor(h.getString(), n.intValueExact(), off.longValueExact(), q.getString());
            if (c.headLength() < 1 || c.headLength() > LogFile.HEAD_BYTES || c.offset() < -1 || c.offset() == 0) {
                throw new IllegalArgumentException("range");
            }
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("'cursor' is not a cursor this endpoint gave out: '" + shorten(text)
                    + "'; pass next_cursor of a previous answer as it was").with("field", "cursor");
        }
        if (!c.query().equals(query)) {
            throw ProblemException.badRequest("'cursor' belongs to another query (other filters, log or tenant);"
                    + " repeat the query it came from, or leave it out to start from the newest entry")
                    .with("field", "cursor");
        }
        return c;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
