package io.asyncsidecar.controlplane.plugins.compliance.openapi;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Where a document says it is served, and the rules about it: {@code openapi.servers} (OpenAPI 3 servers, Swagger
 * 2.0 host) and {@code openapi.server-not-example}. Also gives each server's URL path, which the path prefix rule
 * joins with the path keys.
 */
final class OpenApiServers {

    private static final Pattern VARIABLE = Pattern.compile("\\{([^{}]+)}");
    private static final Pattern ABSOLUTE = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*://");

    /**
     * A server as the path prefix rule sees it.
     *
     * @param url     the URL as written ({@code basePath} for Swagger 2.0), for messages
     * @param path    its path, variables replaced by their defaults, without a trailing slash ({@code ""} for root)
     * @param problem why the path may be wrong (a variable without default), or null
     */
    record Server(String url, String path, String problem) {
    }

    private final OpenApiContext context;

    OpenApiServers(OpenApiContext context) {
        this.context = context;
    }

    void run() {
        OpenApiFindings findings = context.findings();
        OpenApiNode root = context.rootNode();
        if (context.version().isOpenApi3()) {
            OpenApiNode servers = root.get("servers");
            if (servers == null) {
                findings.add(OpenApiRule.SERVERS, root, "Document", "The document lists no servers, so clients and"
                        + " the path prefix check assume it is served at '/'.", "Add servers with the API's URL.");
            } else if (!servers.value().isArray() || servers.value().isEmpty()) {
                findings.add(OpenApiRule.SERVERS, servers, "Document", "servers is empty or not a list.",
                        "List the URLs the API is served at.");
            } else {
                for (OpenApiNode s : servers.items()) {
                    OpenApiNode url = s.get("url");
                    if (url != null && url.value().isTextual() && isExample(host(url.value().textValue()))) {
                        findings.add(OpenApiRule.SERVER_NOT_EXAMPLE, url, "Server", "Server URL '"
                                + url.value().textValue() + "' points at an example domain.",
                                "Use the API's real URL, or a relative URL such as /v1.");
                    }
                }
            }
            return;
        }
        OpenApiNode host = root.get("host");
        if (host == null) {
            findings.add(OpenApiRule.SERVERS, root, "Document", "The document has no host, so clients assume the"
                    + " host that served the spec.", "Set host (and schemes, basePath).");
        } else if (!host.value().isTextual() || host.value().textValue().isEmpty()) {
            findings.add(OpenApiRule.SERVERS, host, "Document", "host is empty.", "Set host to the API's host name.");
        } else if (isExample(host.value().textValue().split(":")[0].toLowerCase(Locale.ROOT))) {
            findings.add(OpenApiRule.SERVER_NOT_EXAMPLE, host, "Server", "host '" + host.value().textValue()
                    + "' is an example domain.", "Use the API's real host name.");
        }
    }

    /**
     * The servers that apply to an operation: its own, else its path item's, else the document's, else {@code /}.
     *
     * @param item      the path item
     * @param operation the operation, or null for the path item alone
     * @return the servers
     */
    List<Server> serversFor(OpenApiNode item, OpenApiNode operation) {
        if (!context.version().isOpenApi3()) {
            JsonNode base = context.root().root().get("basePath");
            String path = base != null && base.isTextual() ? base.textValue() : "/";
            return List.of(new Server(path, trim(path.startsWith("/") ? path : "/" + path), null));
        }
        for (OpenApiNode level : new OpenApiNode[] {operation, item, context.rootNode()}) {
            OpenApiNode servers = level == null ? null : level.get("servers");
            if (servers != null && servers.value().isArray() && !servers.value().isEmpty()) {
                List<Server> out = new ArrayList<>();
                for (OpenApiNode s : servers.items()) {
                    String url = s.text("url");
                    if (url != null) {
                        out.add(server(url, s.get("variables")));
                    }
                }
                if (!out.isEmpty()) {
                    return out;
                }
            }
        }
        return List.of(new Server("/", "", null));
    }

    private static Server server(String url, OpenApiNode variables) {
        StringBuilder sb = new StringBuilder();
        Matcher m = VARIABLE.matcher(url);
        String problem = null;
        while (m.find()) {
            String name = m.group(1);
            JsonNode def = variables == null ? null : variables.value().path(name).get("default");
            String value;
            if (def != null && def.isValueNode()) {
                value = def.asText();
            } else {
                value = m.group();
                problem = "server variable '" + name + "' has no default";
            }
            m.appendReplacement(sb, Matcher.quoteReplacement(value));
        }
        m.appendTail(sb);
        return new Server(url, trim(path(sb.toString())), problem);
    }

    /** The path of a server URL: after scheme and authority, before query and fragment, with a leading slash. */
    static String path(String url) {
        String u = url.trim();
        Matcher abs = ABSOLUTE.matcher(u);
        if (abs.find()) {
            int slash = u.indexOf('/', abs.end());
            u = slash < 0 ? "/" : u.substring(slash);
        } else if (u.startsWith("//")) {
            int slash = u.indexOf('/', 2);
            u = slash < 0 ? "/" : u.substring(slash);
        }
        int cut = u.length();
        for (char c : new char[] {'?', '#'}) {
            int i = u.indexOf(c);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        u = u.substring(0, cut);
        while (u.startsWith("./")) {
            u = u.substring(2);
        }
        if (u.equals(".")) {
            u = "";
        }
        return u.startsWith("/") ? u : "/" + u;
    }

    private static String trim(String path) {
        String p = path;
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        return p;
    }

    /** The host of a URL, lower case; empty for a relative URL. */
    static String host(String url) {
        Matcher abs = ABSOLUTE.matcher(url.trim());
        String rest;
        if (abs.find()) {
            rest = url.trim().substring(abs.end());
        } else if (url.trim().startsWith("//")) {
            rest = url.trim().substring(2);
        } else {
            return "";
        }
        int end = rest.length();
        for (char c : new char[] {'/', '?', '#'}) {
            int i = rest.indexOf(c);
            if (i >= 0 && i < end) {
                end = i;
            }
        }
        String authority = rest.substring(0, end);
        int at = authority.lastIndexOf('@');
        if (at >= 0) {
            authority = authority.substring(at + 1);
        }
        int colon = authority.lastIndexOf(':');
        if (colon >= 0 && authority.indexOf(']') < colon) {
            authority = authority.substring(0, colon);
        }
        return authority.toLowerCase(Locale.ROOT);
    }

    /** RFC 2606's example domains (example.com, .org, .net and subdomains) and the .example top-level domain. */
    static boolean isExample(String host) {
        for (String d : List.of("example.com", "example.org", "example.net")) {
            if (host.equals(d) || host.endsWith("." + d)) {
                return true;
            }
        }
        return host.endsWith(".example") || host.equals("example");
    }
}
