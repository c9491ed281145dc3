package io.pledge.events.rights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pledge.events.EventJson;
import io.pledge.events.Jcs;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Holder signatures over the canonical statement of a reply: pure code, real JCA keys. */
class ReplySignaturesTest {

    private static HolderReplied reply() {
        return new HolderReplied(UUID.fromString("3c9d2f4a-7b1e-4e8a-9c6d-1f2e3a4b5c6d"), "partner-sg-analytics",
                UUID.fromString("6f1c1b6e-3d2a-4c55-9a57-2a4b0c9d8e11"), "ErasureRequested", "RETAINED",
                Map.of("usage", 1204, "profile", 1),
                List.of(new HolderReplied.RetainedItem("billing", "ACCOUNTING_LAW", LocalDate.parse("2036-12-31"))),
                null, null, Instant.parse("2026-11-27T16:42:00Z"));
    }

    @Test
    void theSigningInputIsTheCanonicalStatementWithoutKeyIdOrSignature() {
        String expected = "{\"command\":\"ErasureRequested\",\"counts\":{\"profile\":1,\"usage\":1204},"
                + "\"holderId\":\"partner-sg-analytics\",\"outcome\":\"RETAINED\",\"repliedAt\":\"2026-11-27T16:42:00Z\","
                + "\"requestId\":\"3c9d2f4a-7b1e-4e8a-9c6d-1f2e3a4b5c6d\",\"retained\":[{\"category\":\"billing\","
                + "\"legalBasis\":\"ACCOUNTING_LAW\",\"until\":\"2036-12-31\"}],"
                + "\"subjectId\":\"6f1c1b6e-3d2a-4c55-9a57-2a4b0c9d8e11\"}";
        assertThat(new String(reply().signingInput(), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(reply().signedWith("k", "s").signingInput()).isEqualTo(reply().signingInput());
    }

    @Test
    void thePublishedExampleIsSignedByTheExampleKeyOfTheReadme() throws Exception {
        HolderReplied example = EventJson.mapper().readValue(getClass().getResourceAsStream(
                "/io/pledge/events/examples/rights/HolderReplied.v1.json"), HolderReplied.class);
        Map<String, Object> jwk = Map.of("kty", "OKP", "crv", "Ed25519", "x", "79iCC7F4wH7nqoIyJkDYQsAYQ5lbrj81dXFOZkmsSVA");
        assertThat(example.keyId()).isEqualTo(ReplySignatures.thumbprint(jwk));
        assertThat(ReplySignatures.verify(example, ReplySignatures.publicKey(jwk))).isTrue();
    }

    @Test
    void jcsEscapesStringsAsEcmascriptDoes() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("b", "a\"\\\n\u0001é€😀");
        m.put("a", 7);
        m.put("c", null);
        assertThat(new String(Jcs.bytes(m), StandardCharsets.UTF_8)).isEqualTo("{\"a\":7,\"b\":\"a\\\"\\\\\\n\\u0001é€😀\"}");
    }

    @Test
    void ed25519AndP256SignaturesVerifyAndATamperedStatementDoesNot() throws Exception {
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        for (KeyPair pair : List.of(ed.generateKeyPair(), ec.generateKeyPair())) {
            Map<String, Object> jwk = ReplySignatures.jwk(pair.getPublic(), null);
            String kid = ReplySignatures.thumbprint(jwk);
            HolderReplied signed = ReplySignatures.sign(reply(), kid, pair.getPrivate());
            assertThat(signed.keyId()).isEqualTo(kid);
            // the key as the holder registers it (a JWK) verifies what it signed, after a trip through the event JSON
            HolderReplied read = EventJson.mapper().readValue(EventJson.mapper().writeValueAsBytes(signed), HolderReplied.class);
            assertThat(read).isEqualTo(signed);
            assertThat(ReplySignatures.verify(read, ReplySignatures.publicKey(jwk))).isTrue();
            HolderReplied tampered = new HolderReplied(read.requestId(), read.holderId(), read.subjectId(), read.command(),
                    "ERASED", read.counts(), null, null, null, read.repliedAt(), read.keyId(), read.signature());
            assertThat(ReplySignatures.verify(tampered, ReplySignatures.publicKey(jwk))).isFalse();
            HolderReplied otherHolder = new HolderReplied(read.requestId(), "account-service", read.subjectId(),
                    read.command(), read.outcome(), read.counts(), read.retained(), null, null, read.repliedAt(),
                    read.keyId(), read.signature());
            assertThat(ReplySignatures.verify(otherHolder, ReplySignatures.publicKey(jwk))).isFalse();
            assertThat(ReplySignatures.verify(reply(), ReplySignatures.publicKey(jwk))).as("unsigned").isFalse();
            assertThat(ReplySignatures.verify(read.signedWith(kid, "not-base64url!"), pair.getPublic())).isFalse();
        }
    }

    @Test
    void theKeyIdIsTheRfc7638ThumbprintAsRfc8037ComputesIt() {
        // RFC 8037 appendix A.3: the thumbprint of the Ed25519 key of appendix A.2
        Map<String, Object> jwk = Map.of("kty", "OKP", "crv", "Ed25519", "x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo");
        assertThat(ReplySignatures.thumbprint(jwk)).isEqualTo("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k");
        assertThat(ReplySignatures.jwk(ReplySignatures.publicKey(jwk), "k")).containsEntry("x", jwk.get("x"))
                .containsEntry("kid", "k");
    }

    @Test
    void unsupportedOrMalformedKeysAreRefused() {
        assertThatThrownBy(() -> ReplySignatures.publicKey(Map.of("kty", "RSA", "n", "x", "e", "AQAB")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplySignatures.publicKey(Map.of("kty", "OKP", "crv", "Ed25519", "x", "AAAA")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ReplySignatures.publicKey(Map.of("kty", "EC", "crv", "P-256",
                "x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", "y", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")))
                .as("a point off the curve").isInstanceOf(IllegalArgumentException.class);
    }
}
