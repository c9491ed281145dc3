package io.pledge.kit.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Standard Webhooks signatures: pure code, checked against the specification's own published test vector. */
class StandardWebhooksTest {

    // the vector of standard-webhooks/standard-webhooks, libraries/java/src/test/java/com/standardwebhooks/WebhookTest.java
    // (verifyWebhookSignWorks), the same in the specification's other libraries
    private static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private static final String ID = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private static final long TIMESTAMP = 1614265330;
    private static final String BODY = "{\"test\": 2432232314}";
    private static final String EXPECTED = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);
    private static final Instant AT = Instant.ofEpochSecond(TIMESTAMP);

    private static byte[] body(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void signsThePublishedTestVector() {
        assertThat(StandardWebhooks.sign(SECRET, ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
        // a secret without its prefix is the same key
        assertThat(StandardWebhooks.sign(SECRET.substring(6), ID, TIMESTAMP, BODY)).isEqualTo(EXPECTED);
    }

    @Test
    void verifiesItAndRefusesEveryChange() {
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", EXPECTED, body(BODY), FIVE_MINUTES, AT)).isNull();
        // among other signatures (a key rotation), and of other versions, it is found
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", "v1a,abc v2,xyz " + EXPECTED, body(BODY),
                FIVE_MINUTES, AT)).isNull();
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", EXPECTED, body(BODY.replace("2", "3")),
                FIVE_MINUTES, AT)).isEqualTo(StandardWebhooks.Refusal.BAD_SIGNATURE);
        // the id is signed: the same signature under another id does not verify
        assertThat(StandardWebhooks.verify(SECRET, "msg_another", "1614265330", EXPECTED, body(BODY), FIVE_MINUTES, AT))
                .isEqualTo(StandardWebhooks.Refusal.BAD_SIGNATURE);
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265331", EXPECTED, body(BODY), FIVE_MINUTES, AT))
                .isEqualTo(StandardWebhooks.Refusal.BAD_SIGNATURE);
        assertThat(StandardWebhooks.verify(StandardWebhooks.newSecret(), ID, "1614265330", EXPECTED, body(BODY),
                FIVE_MINUTES, AT)).isEqualTo(StandardWebhooks.Refusal.BAD_SIGNATURE);
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", "v1,not-base64!", body(BODY), FIVE_MINUTES, AT))
                .isEqualTo(StandardWebhooks.Refusal.BAD_SIGNATURE);
        // a replay outside the tolerance, either way
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", EXPECTED, body(BODY), FIVE_MINUTES,
                AT.plus(Duration.ofMinutes(5)).plusSeconds(1))).isEqualTo(StandardWebhooks.Refusal.STALE_TIMESTAMP);
        assertThat(StandardWebhooks.verify(SECRET, ID, "1614265330", EXPECTED, body(BODY), FIVE_MINUTES,
                AT.minus(Duration.ofMinutes(5)).minusSeconds(1))).isEqualTo(StandardWebhooks.Refusal.STALE_TIMESTAMP);
        assertThat(StandardWebhooks.verify(SECRET, ID, "soon", EXPECTED, body(BODY), FIVE_MINUTES, AT))
                .isEqualTo(StandardWebhooks.Refusal.BAD_TIMESTAMP);
        assertThat(StandardWebhooks.verify(SECRET, "msg.with.dots", "1614265330", EXPECTED, body(BODY), FIVE_MINUTES, AT))
                .isEqualTo(StandardWebhooks.Refusal.BAD_ID);
        assertThat(StandardWebhooks.verify(SECRET, ID, null, EXPECTED, body(BODY), FIVE_MINUTES, AT))
                .isEqualTo(StandardWebhooks.Refusal.MISSING_HEADER);
    }

    @Test
    void aNewSecretIsPrefixedAnd32Bytes() {
        String s = StandardWebhooks.newSecret();
        assertThat(s).startsWith("whsec_");
        assertThat(StandardWebhooks.key(s)).hasSize(32);
        assertThat(StandardWebhooks.newSecret()).isNotEqualTo(s);
    }
}
