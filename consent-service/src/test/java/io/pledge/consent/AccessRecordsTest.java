package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.guardianToken;
import static io.pledge.consent.support.Consent.serviceToken;
import static io.pledge.consent.support.Consent.subjectToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.security.Roles;
import io.pledge.kit.testing.AccessRecords;
import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 5.2.3 in consent-service (real database and broker): a privacy officer's reads of a subject's consents,
 * ledger, receipts and export each name why and are recorded as PersonalDataAccessed on the real access.records topic
 * (who, which categories, why; schema-checked); a read without a purpose, or with one outside the vocabulary, is
 * refused with a problem and records nothing; rights-request-service's export read is recorded as that service's;
 * the subject's own reads record nothing. Faked: the token signer (TestTokens, which only %test trusts).
 */
@QuarkusTest
@Tag("clause-5.2.3")
class AccessRecordsTest {

    @Inject
    EventSchemas schemas;

    @Test
    void everyReadByAnOfficerOrAServiceIsRecordedWithWhoWhatAndWhy() {
        UUID subject = UUID.randomUUID();
        String receipt = decide(subject, decision("marketing-email", "GIVEN")).statusCode(201)
                .extract().path("record.receiptId");
        UUID officerId = UUID.randomUUID();
        String officer = TestTokens.token(officerId.toString(), Set.of(Roles.PRIVACY_OFFICER), Duration.ofMinutes(10));
        try (AccessRecords records = AccessRecords.tail(schemas)) {
            for (String path : List.of("", "/records", "/receipts", "/receipts/" + receipt, "/export")) {
                given().auth().oauth2(officer).when().get("/v1/consents/{s}" + path, subject).then()
                        .statusCode(400).contentType(PROBLEM).body("field", equalTo("purpose"));
            }
            given().auth().oauth2(officer).queryParam("purpose", "curiosity").when().get("/v1/consents/{s}", subject)
                    .then().statusCode(400).contentType(PROBLEM).body("field", equalTo("purpose"));
            // the subject's own reads are nobody else's reads
            given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}/records", subject).then()
                    .statusCode(200);
            given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}/export", subject).then()
                    .statusCode(200);

            given().auth().oauth2(officer).queryParam("purpose", "rights-request").when()
                    .get("/v1/consents/{s}", subject).then().statusCode(200);
            given().auth().oauth2(officer).queryParam("purpose", "support-case").when()
                    .get("/v1/consents/{s}/records", subject).then().statusCode(200).body("total", equalTo(1));
            given().auth().oauth2(officer).queryParam("purpose", "compliance-review").when()
                    .get("/v1/consents/{s}/receipts/{r}", subject, receipt).then().statusCode(200);
            given().auth().oauth2(officer).queryParam("purpose", "legal-claim").when()
                    .get("/v1/consents/{s}/export", subject).then().statusCode(200);
            given().auth().oauth2(serviceToken("rights-request-service")).when()
                    .get("/v1/consents/{s}/export", subject).then().statusCode(200);
            // another subject's guardian is refused before anything is read or recorded
            given().auth().oauth2(guardianToken(UUID.randomUUID())).when().get("/v1/consents/{s}/receipts", subject)
                    .then().statusCode(403);

            List<JsonObject> reads = records.of(subject, 5, Duration.ofSeconds(15), Duration.ofSeconds(2));
            assertThat(reads).hasSize(5);
            assertThat(reads.subList(0, 4)).allSatisfy(r -> {
                assertThat(r.getString("accessorId")).isEqualTo(officerId.toString());
                assertThat(r.getString("accessorRole")).isEqualTo("PRIVACY_OFFICER");
            });
            assertThat(reads).extracting(r -> r.getString("purposeId")).containsExactly("rights-request",
                    "support-case", "compliance-review", "legal-claim", "rights-export");
            assertThat(reads).extracting(r -> r.getJsonArray("fields").getList().toString()).containsExactly(
                    "[consents]", "[consentRecords]", "[consentReceipts]",
                    "[consentRecords, consentEvidence, consentReceipts]",
                    "[consentRecords, consentEvidence, consentReceipts]");
            assertThat(reads.get(4).getString("accessorId")).isEqualTo("rights-request-service");
            assertThat(reads.get(4).getString("accessorRole")).isEqualTo("SERVICE");
        }
    }
}
