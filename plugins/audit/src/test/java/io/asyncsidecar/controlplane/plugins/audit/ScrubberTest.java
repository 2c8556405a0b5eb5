package io.asyncsidecar.controlplane.plugins.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The scrubbing rules on free text: what they replace, what they leave alone, and that no input makes them slow.
 */
class ScrubberTest {

    @Test
    void eachKindOfSecret() {
        assertThat(Scrubber.text("Authorization: Bearer " + Secrets.BEARER)).isEqualTo("Authorization: Bearer [redacted]");
        assertThat(Scrubber.text("basic " + Secrets.BASIC + " sent")).isEqualTo("basic [redacted] sent");
        assertThat(Scrubber.text("jwt=" + Secrets.JWT)).isEqualTo("jwt=[jwt]");
        assertThat(Scrubber.text("id " + Secrets.AWS_KEY + ".")).isEqualTo("id [api-key].");
        assertThat(Scrubber.text(Secrets.GITHUB)).isEqualTo("[api-key]");
        assertThat(Scrubber.text("slack " + Secrets.SLACK)).isEqualTo("slack [api-key]");
        assertThat(Scrubber.text(Secrets.STRIPE + "," + Secrets.OPENAI)).isEqualTo("[api-key],[api-key]");
        assertThat(Scrubber.text("key " + Secrets.GOOGLE)).isEqualTo("key [api-key]");
        assertThat(Scrubber.text("mail " + Secrets.EMAIL + " and " + Secrets.OTHER_EMAIL))
                .isEqualTo("mail [email] and [email]");
        assertThat(Scrubber.text("postgres://app:" + Secrets.URL_PASSWORD + "@db:5432/x"))
                .isEqualTo("postgres://app:[redacted]@db:5432/x");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "password=hunter2                      | password=[redacted]",
            "PASSWORD = 'hunter2' next             | PASSWORD = '[redacted]' next",
            "db_password: s3cr3t, user: app        | db_password: [redacted], user: app",
            "x-api-key:abc123&other=1              | x-api-key:[redacted]&other=1",
            "client_secret=xyz;                    | client_secret=[redacted];",
            "refresh_token=abc.def                 | refresh_token=[redacted]",
            "{\"password\":\"hunter2\"} as text    | {\"password\":\"[redacted]\"} as text"})
    void keyValuePairsWhoseKeyNamesASecret(String in, String out) {
        assertThat(Scrubber.text(in)).isEqualTo(out);
    }

    @ParameterizedTest
    @ValueSource(strings = {"deploy finished in 12s", "passed=3 failed=0", "auth.token.refresh",
            "endpoint/gateway:9090", "2026-12-01T10:00:00.123Z", "tokens used: 120 of 4096 max", "user@host",
            "see https://example.com/docs", "bearer of bad news", "a1b2c3", "10.0.3.17:8080",
            "run r-20261130-0042 passed"})
    void ordinaryTextIsLeftAlone(String text) {
        assertThat(Scrubber.text(text)).isSameAs(text);
    }

    @Test
    void membersNamedLikeSecrets() {
        assertThat(Scrubber.secretKey("password")).isTrue();
        assertThat(Scrubber.secretKey("DB_PASSWORD")).isTrue();
        assertThat(Scrubber.secretKey("client-secret")).isTrue();
        assertThat(Scrubber.secretKey("github_token")).isTrue();
        assertThat(Scrubber.secretKey("Authorization")).isTrue();
        assertThat(Scrubber.secretKey("api_key")).isTrue();
        assertThat(Scrubber.secretKey("token_count")).isFalse();
        assertThat(Scrubber.secretKey("tenant_id")).isFalse();
        assertThat(Scrubber.secretKey("subject")).isFalse();
    }

    @Test
    void hostileTextStaysFast() {
        String[] hostile = {"a".repeat(200_000) + "@", "@".repeat(100_000), "password=" + "=".repeat(100_000),
                "eyJ" + "a".repeat(100_000) + "." + ".".repeat(50_000), "bearer " + " ".repeat(100_000) + "x",
                "x://" + "a".repeat(100_000) + ":" + "b".repeat(100_000), ("a.".repeat(50_000)) + "@b"};
        assertTimeoutPreemptively(Duration.ofSeconds(5), () -> {
            for (String s : hostile) {
                Scrubber.text(s);
            }
        });
    }
}
