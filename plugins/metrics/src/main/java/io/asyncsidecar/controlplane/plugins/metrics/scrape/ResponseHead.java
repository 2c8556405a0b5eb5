package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.io.IOException;
import java.util.Locale;

/**
 * The status line and the headers a scrape needs from an HTTP/1.x response.
 *
 * @param status          the status code
 * @param contentType     Content-Type, or null
 * @param contentEncoding Content-Encoding, lower case, or null
 * @param chunked         whether Transfer-Encoding is chunked
 * @param contentLength   Content-Length, or -1
 * @param location        Location, or null
 */
record ResponseHead(int status, String contentType, String contentEncoding, boolean chunked, long contentLength,
                    String location) {

    private static final int MAX_HEADERS = 200;

    /** Reads a response head, skipping interim 1xx responses. */
    static ResponseHead read(HttpInput in) throws IOException {
        while (true) {
            ResponseHead head = readOne(in);
            if (head.status >= 200 || head.status == 101) {
                return head;
            }
        }
    }

    private static ResponseHead readOne(HttpInput in) throws IOException {
        String statusLine = in.readLine();
        if (!statusLine.startsWith("HTTP/1.") || statusLine.length() < 12 || statusLine.charAt(8) != ' ') {
            throw new MalformedResponseException("not an HTTP/1.x response: '" + abbreviate(statusLine) + "'");
        }
        int status;
        try {
            status = Integer.parseInt(statusLine.substring(9, 12));
        } catch (NumberFormatException e) {
            throw new MalformedResponseException("bad status line '" + abbreviate(statusLine) + "'");
        }
        String contentType = null;
        String contentEncoding = null;
        boolean chunked = false;
        long contentLength = -1;
        String location = null;
        for (int i = 0; ; i++) {
            String line = in.readLine();
            if (line.isEmpty()) {
                break;
            }
            if (i >= MAX_HEADERS) {
                throw new MalformedResponseException("more than " + MAX_HEADERS + " response headers");
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new MalformedResponseException("bad header line '" + abbreviate(line) + "'");
            }
            String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            switch (name) {
                case "content-type" -> contentType = value;
                case "content-encoding" -> contentEncoding = value.toLowerCase(Locale.ROOT);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "content-length" -> {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new MalformedResponseException("bad Content-Length '" + abbreviate(value) + "'");
                    }
                }
                case "location" -> location = value;
                default -> {
                }
            }
        }
        return new ResponseHead(status, contentType, contentEncoding, chunked, contentLength, location);
    }

    private static String abbreviate(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 60 ? printable.substring(0, 60) + "..." : printable;
    }
}
