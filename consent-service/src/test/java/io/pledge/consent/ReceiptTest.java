package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.subjectToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasSize;

import io.quarkus.test.junit.QuarkusTest;
import java.util.Map;
import java.util.UUID;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Consent receipts against the real database: every change yields a receipt with the Kantara v1.1 and
 * ISO/IEC TS 27560 fields, signed with the service's key and verifiable with its published JWKS alone;
 * only the subject (or their guardian, or an officer) may read it.
 */
@QuarkusTest
class ReceiptTest {

    @Test
    @Tag("clause-6.4")
    void everyChangeYieldsASignedReceiptTheSubjectCanRetrieveAndVerify() throws Exception {
        UUID subject = UUID.randomUUID();
        String grantReceipt = decide(subject, decision("marketing-email", "GIVEN")).statusCode(201)
                .extract().path("record.receiptId");
        String withdrawReceipt = decide(subject, decision("marketing-email", "WITHDRAWN")).statusCode(201)
                .extract().path("record.receiptId");
        assertThat(grantReceipt).isNotEqualTo(withdrawReceipt);

        given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}/receipts", subject).then()
                .statusCode(200).body("$", hasSize(2));
        var receipt = given().auth().oauth2(subjectToken(subject))
                .when().get("/v1/consents/{s}/receipts/{r}", subject, withdrawReceipt).then().statusCode(200)
                .extract().jsonPath();
        String jws = receipt.getString("jws");

        // verify with nothing but the published key set
        String jwks = given().when().get("/v1/receipts/keys").then().statusCode(200).extract().asString();
        JsonWebSignature verifier = new JsonWebSignature();
        verifier.setCompactSerialization(jws);
        verifier.setKey(new JsonWebKeySet(jwks).findJsonWebKey(verifier.getKeyIdHeaderValue(), "EC", "sig", "ES256").getKey());
        assertThat(verifier.verifySignature()).isTrue();
        @SuppressWarnings("unchecked") Map<String, Object> claims = new com.fasterxml.jackson.databind.ObjectMapper().readValue(verifier.getPayload(), Map.class);
        assertThat(claims.get("version")).isEqualTo("KI-CR-v1.1.0");
        assertThat(claims.get("consentReceiptID")).isEqualTo(withdrawReceipt);
        assertThat(claims.get("piiPrincipalId")).isEqualTo(subject.toString());
        assertThat(claims.get("jurisdiction")).isEqualTo("CN");
        assertThat(claims.get("collectionMethod")).isEqualTo("WEB");
        assertThat(claims.get("status")).isEqualTo("WITHDRAWN");
        assertThat(claims.get("dpvStatus")).isEqualTo("dpv:ConsentWithdrawn");
        assertThat(claims.get("policyVersion")).isEqualTo("1.0");
        assertThat(claims.get("piiControllers").toString()).contains("Shanghai Qiniu Information Technology");
        assertThat(claims.get("services").toString()).contains("marketing-email").contains("contact");
        assertThat(claims).containsKeys("consentTimestamp", "policyUrl", "language", "sensitive", "recordId", "statusTime");

        // a tampered receipt no longer verifies
        String[] parts = jws.split("\\.");
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(verifier.getPayload().replace("WITHDRAWN", "GIVEN").getBytes()) + "." + parts[2];
        JsonWebSignature tampered = new JsonWebSignature();
        tampered.setCompactSerialization(forged);
        tampered.setKey(new JsonWebKeySet(jwks).getJsonWebKeys().get(0).getKey());
        assertThat(tampered.verifySignature()).isFalse();

        // another subject cannot read it
        UUID other = UUID.randomUUID();
        given().auth().oauth2(subjectToken(other)).when().get("/v1/consents/{s}/receipts/{r}", subject, withdrawReceipt)
                .then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(subjectToken(other)).when().get("/v1/consents/{s}/receipts/{r}", other, withdrawReceipt)
                .then().statusCode(404).contentType(PROBLEM);
    }
}
