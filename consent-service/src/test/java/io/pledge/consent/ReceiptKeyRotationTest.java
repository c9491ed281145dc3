package io.pledge.consent;

import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.subjectToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.pledge.consent.config.ConsentConfig;
import io.pledge.consent.receipt.ReceiptSigner;
import io.pledge.consent.unsubscribe.UnsubscribeTokens;
import io.pledge.kit.crypto.KeyPairFiles;
import io.pledge.kit.crypto.SigningKeyRing;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.List;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/**
 * A rotation of the receipt signing key as an operator does it (a new key added to the key folder and made current):
 * a receipt and an unsubscribe link signed before still verify — the receipt with the published JWKS, which lists
 * the retired and the new key under their kids, the link by the service itself — and the next receipt names the new
 * key. Real consent ledger in PostgreSQL, real Kafka, real key files; nothing faked.
 */
@QuarkusTest
class ReceiptKeyRotationTest {

    @Inject
    ReceiptSigner signer;

    @Inject
    UnsubscribeTokens unsubscribe;

    @Inject
    ConsentConfig config;

    @Test
    void aReceiptAndAnUnsubscribeLinkSignedWithARetiredKeyStillVerifyAndTheJwksListsBothKeys() throws Exception {
        UUID subject = UUID.randomUUID();
        String before = receipt(subject, decide(subject, decision("marketing-email", "GIVEN")).statusCode(201)
                .extract().path("record.receiptId"));
        String link = unsubscribe.issue(subject, "marketing-email").token();
        String oldKid = kid(before);
        assertThat(kid(link)).isEqualTo(oldKid);

        String newKid = SigningKeyRing.rotate(config.keyDir(), KeyPairFiles.Kind.EC_P256);
        signer.refresh();
        String after = receipt(subject, decide(subject, decision("marketing-email", "WITHDRAWN")).statusCode(201)
                .extract().path("record.receiptId"));
        assertThat(kid(after)).isEqualTo(newKid).isNotEqualTo(oldKid);

        JsonWebKeySet jwks = new JsonWebKeySet(given().when().get("/v1/receipts/keys").then().statusCode(200)
                .extract().asString());
        assertThat(jwks.getJsonWebKeys()).extracting(JsonWebKey::getKeyId).contains(oldKid, newKid).doesNotHaveDuplicates();
        for (String jws : List.of(before, after)) {
            JsonWebSignature v = new JsonWebSignature();
            v.setCompactSerialization(jws);
            v.setKey(jwks.findJsonWebKey(v.getKeyIdHeaderValue(), "EC", "sig", "ES256").getKey());
            assertThat(v.verifySignature()).as("receipt by %s", v.getKeyIdHeaderValue()).isTrue();
        }
        assertThat(unsubscribe.verify(link).subjectId()).isEqualTo(subject);
        assertThat(kid(unsubscribe.issue(subject, "marketing-email").token())).isEqualTo(newKid);
    }

    private static String receipt(UUID subject, String receiptId) {
        return given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}/receipts/{r}", subject, receiptId)
                .then().statusCode(200).extract().path("jws");
    }

    private static String kid(String compact) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(compact);
        return jws.getKeyIdHeaderValue();
    }
}
