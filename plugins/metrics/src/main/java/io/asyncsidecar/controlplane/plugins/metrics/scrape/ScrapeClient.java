package io.asyncsidecar.controlplane.plugins.metrics.scrape;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import io.asyncsidecar.controlplane.plugins.metrics.exposition.Exposition;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionFormat;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionParseException;
import io.asyncsidecar.controlplane.plugins.metrics.exposition.ExpositionParser;

/**
 * Scrapes one endpoint: a blocking HTTP/1.1 GET meant to run on its own virtual thread, whose body streams
 * straight into the exposition parser.
 *
 * <p>A small client of its own rather than {@code java.net.http.HttpClient}: the request forgery guard must
 * pin the connection to the address it checked (HttpClient resolves the name again and allows no Host
 * override, which would reopen the door to DNS rebinding), and redirects must be re-checked hop by hop.
 * It asks as Prometheus does (its Accept header, gzip), sends {@code Connection: close}, reads chunked,
 * fixed-length or close-delimited bodies, and enforces one deadline for connect, head and body together and
 * the size limit on the wire and after decompression. {@link #fetch} reads an HTTP API's answer (Prometheus'
 * JSON) through the same guard, redirect checks, deadline and limits.
 */
public final class ScrapeClient {

    private static final String USER_AGENT = "async-sidecar-control-plane-metrics/1";
    private static final List<Integer> REDIRECTS = List.of(301, 302, 303, 307, 308);

    private final TargetGuard guard;
    private final Duration connectTimeout;
    private final long maxBytes;
    private final int maxRedirects;
    private final SSLContext tls;

    /**
     * A client.
     *
     * @param guard          decides where it may connect
     * @param connectTimeout longest TCP (and TLS) connect
     * @param maxBytes       largest body, compressed or not
     * @param maxRedirects   redirects followed, each re-checked by the guard
     * @param tls            TLS context for https targets (the JDK default trusts the system CAs)
     */
    public ScrapeClient(TargetGuard guard, Duration connectTimeout, long maxBytes, int maxRedirects, SSLContext tls) {
        this.guard = Objects.requireNonNull(guard, "guard");
        this.connectTimeout = Objects.requireNonNull(connectTimeout, "connectTimeout");
        this.maxBytes = maxBytes;
        this.maxRedirects = maxRedirects;
        this.tls = Objects.requireNonNull(tls, "tls");
    }

    /**
     * Scrapes a URL and parses its body. Never throws for anything the target does.
     *
     * @param url     an http or https URL
     * @param timeout the whole scrape's budget
     * @param parser  configures the parser for the format the response declares
     * @return the outcome
     */
    public ScrapeOutcome scrape(URI url, Duration timeout, ParserFactory parser) {
        Attempt attempt = new Attempt(System.nanoTime());
        return guarded(attempt, timeout, () -> exchange(url, attempt.deadline(timeout), ExpositionFormat.ACCEPT_HEADER,
                true, attempt, (head, in) -> {
                    if (head.status() != 200) {
                        return attempt.end(ScrapeStatus.DOWN, "HTTP status " + head.status());
                    }
                    Optional<ExpositionFormat> format = ExpositionFormat.forContentType(head.contentType());
                    if (format.isEmpty()) {
                        return attempt.end(ScrapeStatus.INVALID, "unsupported content type '" + head.contentType()
                                + "'");
                    }
                    if (head.contentLength() > maxBytes) {
                        return attempt.end(ScrapeStatus.TOO_LARGE, "declared Content-Length " + head.contentLength()
                                + " exceeds the limit of " + maxBytes + " bytes");
                    }
                    return attempt.up(parser.parser(format.get()).parse(body(head, in, attempt)));
                }), attempt::end);
    }

    /**
     * Fetches a URL's body under the same guard, redirect checks, deadline and size limits as a scrape: for the
     * JSON answers of an HTTP API such as Prometheus'. Any HTTP status with a body is an answer, since such APIs
     * explain their errors in the body. Never throws for anything the target does.
     *
     * @param url     an http or https URL
     * @param timeout the whole request's budget
     * @param accept  the Accept header, e.g. {@code application/json}
     * @return the answer, or why there is none
     */
    public FetchOutcome fetch(URI url, Duration timeout, String accept) {
        Objects.requireNonNull(accept, "accept");
        Attempt attempt = new Attempt(System.nanoTime());
        return guarded(attempt, timeout, () -> exchange(url, attempt.deadline(timeout), accept, false, attempt,
                (head, in) -> {
                    if (head.contentLength() > maxBytes) {
                        return attempt.failed(ScrapeStatus.TOO_LARGE, "declared Content-Length "
                                + head.contentLength() + " exceeds the limit of " + maxBytes + " bytes");
                    }
                    byte[] bytes = body(head, in, attempt).readAllBytes();
                    return new FetchOutcome(ScrapeStatus.UP, head.status(), null, attempt.elapsed(),
                            head.contentType(), bytes);
                }), attempt::failed);
    }

    /** Runs one exchange, turning whatever the target does into an outcome made by {@code failure}. */
    private static <T> T guarded(Attempt attempt, Duration timeout, Exchange<T> exchange,
                                 BiFunction<ScrapeStatus, String, T> failure) {
        try {
            return exchange.run();
        } catch (Refusal e) {
            return failure.apply(e.status, e.getMessage());
        } catch (SocketTimeoutException e) {
            return failure.apply(ScrapeStatus.TIMEOUT, "no complete answer within " + timeout.toMillis() + " ms ("
                    + e.getMessage() + ")");
        } catch (InterruptedIOException e) {
            return failure.apply(ScrapeStatus.TIMEOUT, "scrape interrupted after " + timeout.toMillis() + " ms");
        } catch (BodyTooLargeException e) {
            return failure.apply(ScrapeStatus.TOO_LARGE, e.getMessage());
        } catch (ExpositionParseException e) {
            return failure.apply(ScrapeStatus.INVALID, e.getMessage());
        } catch (MalformedResponseException | ZipException e) {
            return failure.apply(ScrapeStatus.INVALID, "malformed response: " + e.getMessage());
        } catch (UnknownHostException e) {
            return failure.apply(ScrapeStatus.DOWN, "unknown host " + e.getMessage());
        } catch (ConnectException | NoRouteToHostException e) {
            return failure.apply(ScrapeStatus.DOWN, "cannot connect: " + e.getMessage());
        } catch (SSLException e) {
            return failure.apply(ScrapeStatus.DOWN, "TLS failed: " + e.getMessage());
        } catch (IOException e) {
            return failure.apply(ScrapeStatus.DOWN, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Connects where the guard allows, sends the GET and follows redirects (each re-checked), then hands the final
     * response to {@code reader} while the connection is open.
     */
    private <T> T exchange(URI url, long deadline, String accept, boolean scrape, Attempt attempt,
                           ResponseReader<T> reader) throws IOException, ExpositionParseException {
        URI current = url;
        for (int hop = 0; ; hop++) {
            TargetGuard.Decision decision = guard.check(current);
            if (decision instanceof TargetGuard.Refused refused) {
                throw new Refusal(ScrapeStatus.REFUSED, hop == 0 ? refused.reason()
                        : "redirect to " + current + " refused: " + refused.reason());
            }
            InetAddress address = ((TargetGuard.Allowed) decision).address();
            try (Socket socket = connect(current, address, deadline)) {
                OutputStream out = socket.getOutputStream();
                out.write(request(current, deadline, accept, scrape));
                out.flush();
                HttpInput in = new HttpInput(socket, deadline);
                ResponseHead head = ResponseHead.read(in);
                attempt.httpStatus = head.status();
                attempt.contentType = head.contentType();
                if (REDIRECTS.contains(head.status()) && head.location() != null) {
                    if (hop >= maxRedirects) {
                        throw new Refusal(ScrapeStatus.DOWN, "more than " + maxRedirects + " redirects");
                    }
                    try {
                        current = current.resolve(new URI(head.location()));
                    } catch (URISyntaxException e) {
                        throw new Refusal(ScrapeStatus.INVALID, "malformed redirect location '" + head.location()
                                + "'");
                    }
                    continue;
                }
                return reader.read(head, in);
            }
        }
    }

    /** The body as sent, decoded from its transfer and content encodings, limited on the wire and after gzip. */
    private InputStream body(ResponseHead head, HttpInput in, Attempt attempt) throws IOException {
        InputStream body = head.chunked() ? new ChunkedInputStream(in)
                : head.contentLength() >= 0 ? new FixedLengthInputStream(in, head.contentLength()) : in;
        ByteLimitInputStream wire = new ByteLimitInputStream(body, maxBytes, "response body");
        String encoding = head.contentEncoding();
        ByteLimitInputStream plain;
        if (encoding == null || encoding.isEmpty() || encoding.equals("identity")) {
            plain = wire;
        } else if (encoding.equals("gzip") || encoding.equals("x-gzip")) {
            plain = new ByteLimitInputStream(new GZIPInputStream(wire, 8 * 1024), maxBytes, "decompressed body");
        } else {
            throw new MalformedResponseException("unsupported Content-Encoding '" + encoding + "'");
        }
        attempt.body = plain;
        return plain;
    }

    private Socket connect(URI url, InetAddress address, long deadline) throws IOException {
        boolean https = url.getScheme().equalsIgnoreCase("https");
        int port = url.getPort() >= 0 ? url.getPort() : https ? 443 : 80;
        long left = deadline - System.nanoTime();
        int connectMillis = (int) Math.max(1, Math.min(connectTimeout.toMillis(), left / 1_000_000));
        if (left <= 0) {
            throw new SocketTimeoutException("no time left to connect");
        }
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(address, port), connectMillis);
            if (!https) {
                return socket;
            }
            String host = TargetGuard.host(url);
            SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            if (!CidrBlock.looksLikeBlock(host)) {
                params.setServerNames(List.of(new SNIHostName(host)));
            }
            ssl.setSSLParameters(params);
            ssl.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
            ssl.startHandshake();
            return ssl;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    private static byte[] request(URI url, long deadline, String accept, boolean scrape) {
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        if (url.getRawQuery() != null) {
            path += "?" + url.getRawQuery();
        }
        String host = url.getHost();
        String hostHeader = url.getPort() >= 0 ? host + ":" + url.getPort() : host;
        double seconds = Math.max(0.001, (deadline - System.nanoTime()) / 1e9);
        String request = "GET " + path + " HTTP/1.1\r\n"
                + "Host: " + hostHeader + "\r\n"
                + "User-Agent: " + USER_AGENT + "\r\n"
                + "Accept: " + accept + "\r\n"
                + "Accept-Encoding: gzip\r\n"
                + (scrape ? "X-Prometheus-Scrape-Timeout-Seconds: " + String.format(Locale.ROOT, "%.3f", seconds)
                + "\r\n" : "")
                + "Connection: close\r\n\r\n";
        return request.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Chooses the parser once the response's format is known. */
    @FunctionalInterface
    public interface ParserFactory {
        /**
         * A parser for a format.
         *
         * @param format the format the response declared
         * @return the parser
         */
        ExpositionParser parser(ExpositionFormat format);
    }

    /** One exchange with an open connection, which may fail in all the ways a scrape can. */
    @FunctionalInterface
    private interface Exchange<T> {
        T run() throws IOException, ExpositionParseException;
    }

    /** Reads the final response of an exchange. */
    @FunctionalInterface
    private interface ResponseReader<T> {
        T read(ResponseHead head, HttpInput in) throws IOException, ExpositionParseException;
    }

    /** An exchange that ends before a response is read: a refused target or redirect, a redirect loop. */
    private static final class Refusal extends IOException {
        private final ScrapeStatus status;

        Refusal(ScrapeStatus status, String message) {
            super(message, null);
            this.status = status;
        }
    }

    /** What is known so far about one scrape. */
    private static final class Attempt {
        private final long start;
        private int httpStatus;
        private String contentType;
        private ByteLimitInputStream body;

        Attempt(long start) {
            this.start = start;
        }

        ScrapeOutcome end(ScrapeStatus status, String error) {
            return new ScrapeOutcome(status, httpStatus, error, elapsed(), bytesRead(), contentType, null);
        }

        FetchOutcome failed(ScrapeStatus status, String error) {
            return new FetchOutcome(status, httpStatus, error, elapsed(), contentType, new byte[0]);
        }

        long deadline(Duration timeout) {
            return start + timeout.toNanos();
        }

        ScrapeOutcome up(Exposition exposition) {
            return new ScrapeOutcome(ScrapeStatus.UP, httpStatus, null, elapsed(), bytesRead(), contentType,
                    exposition);
        }

        private long bytesRead() {
            return body != null ? body.count() : 0;
        }

        long elapsed() {
            return (System.nanoTime() - start) / 1_000_000;
        }
    }
}
