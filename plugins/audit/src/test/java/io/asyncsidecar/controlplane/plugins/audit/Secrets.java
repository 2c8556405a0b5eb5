package io.asyncsidecar.controlplane.plugins.audit;

import java.util.List;
import java.util.Random;

/**
 * Real-looking secrets for the scrubbing tests. They are put together at run time so that the sources hold no
 * string a secret scanner would flag; the values are random or the vendors' own documentation examples.
 */
final class Secrets {

    private static final Random RANDOM = new Random(42);

    /** jwt.io's example token. */
    static final String JWT = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9" + "."
            + "eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ" + "."
            + "SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
    static final String BEARER = "dG9rLTdkM2Y5YTJiNGM2ZTFmMDg" + alnum(12);
    /** AWS's documented example access key id. */
    static final String AWS_KEY = "AKIA" + "IOSFODNN7EXAMPLE";
    static final String AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCY" + "EXAMPLEKEY";
    static final String GITHUB = "gh" + "p_" + alnum(36);
    static final String SLACK = "xo" + "xb-" + digits(11) + "-" + digits(12) + "-" + alnum(24);
    static final String STRIPE = "sk" + "_live_" + alnum(24);
    static final String OPENAI = "sk" + "-proj-" + alnum(40);
    static final String GOOGLE = "AI" + "za" + alnum(35);
    static final String PASSWORD = "Hunter2!Vault";
    static final String DB_PASSWORD = "pg-" + alnum(10);
    static final String API_KEY = digits(6) + "f8e7d6c5b4a39281706";
    static final String EMAIL = "alice.smith@example.com";
    static final String OTHER_EMAIL = "bob+ops@corp.example.org";
    static final String URL_PASSWORD = "S3cretPassw0rd";
    static final String FIELD_PASSWORD = "p@ss-w0rd-" + digits(4);
    static final String CLIENT_SECRET = "cs-" + alnum(20);
    static final String BASIC = "ZGVwbG95OnNlY3JldC12YWx1ZQ==";
    static final String PRIVATE_KEY_BODY = "MIIEowIBAAKCAQEA" + alnum(40);

    /** Every secret value above: none may appear in an answer. */
    static final List<String> ALL = List.of(JWT, BEARER, AWS_KEY, AWS_SECRET, GITHUB, SLACK, STRIPE, OPENAI, GOOGLE,
            PASSWORD, DB_PASSWORD, API_KEY, EMAIL, OTHER_EMAIL, URL_PASSWORD, FIELD_PASSWORD, CLIENT_SECRET, BASIC,
            PRIVATE_KEY_BODY, "alice.smith", "bob+ops");

    private Secrets() {
    }

    private static String alnum(int n) {
        String chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append(chars.charAt(RANDOM.nextInt(chars.length())));
        }
        return b.toString();
    }

    private static String digits(int n) {
        StringBuilder b = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            b.append((char) ('0' + RANDOM.nextInt(10)));
        }
        return b.toString();
    }
}
