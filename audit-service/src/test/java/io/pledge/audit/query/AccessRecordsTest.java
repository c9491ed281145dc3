package io.pledge.audit.query;

import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.publish;
import static io.pledge.audit.AuditTestSupport.securityOfficer;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.security.Roles;
import io.pledge.kit.testing.AccessRecords;
import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 5.2.3 in audit-service (real database and broker): a privacy officer's read of a subject's history (its own
 * endpoint, or the operators' search narrowed to the subject) names why and is recorded as PersonalDataAccessed on the
 * real access.records topic (schema-checked); without a purpose it is refused and records nothing; rights-request-
 * service's read for the export package is recorded as that service's; the subject's own read records nothing. The
 * records come back through audit-service's own ingest: the operators' access list and the subject's history show
 * who read. Faked: the token signer (TestTokens, which only %test trusts).
 */
@QuarkusTest
@Tag("clause-5.2.3")
class AccessRecordsTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;

    @Test
    void readsOfASubjectsHistoryAreRecordedAndListedWithWhoWhatAndWhy() {
        UUID subject = UUID.randomUUID();
        ObjectNode granted = example(EventTypes.CONSENT_GRANTED);
        granted.put("subjectId", subject.toString());
        awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, granted).id());
        String officerId = UUID.randomUUID().toString();
        String officer = TestTokens.token(officerId, Set.of(Roles.PRIVACY_OFFICER), Duration.ofMinutes(10));
        String history = "/v1/audit/subjects/" + subject + "/entries";
        try (AccessRecords records = AccessRecords.tail(schemas)) {
            given().auth().oauth2(officer).when().get(history).then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo("purpose"));
            given().auth().oauth2(officer).queryParam("subjectId", subject.toString()).when().get("/v1/audit/entries")
                    .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("purpose"));
            given().auth().oauth2(TestTokens.subject(subject)).when().get(history).then().statusCode(200);

            given().auth().oauth2(officer).queryParam("purpose", "compliance-review").when().get(history).then()
                    .statusCode(200).body("total", equalTo(1));
            given().auth().oauth2(officer).queryParam("subjectId", subject.toString())
                    .queryParam("purpose", "security-investigation").when().get("/v1/audit/entries").then()
                    .statusCode(200);
            given().auth().oauth2(TestTokens.service("rights-request-service", "audit-service")).when().get(history)
                    .then().statusCode(200);

            List<JsonObject> reads = records.of(subject, 3, Duration.ofSeconds(15), Duration.ofSeconds(2));
            assertThat(reads).extracting(r -> r.getString("accessorId"))
                    .containsExactly(officerId, officerId, "rights-request-service");
            assertThat(reads).extracting(r -> r.getString("accessorRole"))
                    .containsExactly("PRIVACY_OFFICER", "PRIVACY_OFFICER", "SERVICE");
            assertThat(reads).extracting(r -> r.getString("purposeId"))
                    .containsExactly("compliance-review", "security-investigation", "rights-export");
            assertThat(reads).allSatisfy(r -> assertThat(r.getJsonArray("fields").getList())
                    .containsExactly("auditHistory"));
        }

        // the records are audit entries like any other: operators list them, the subject sees who read
        await().atMost(Duration.ofSeconds(30)).until(() -> given().auth().oauth2(securityOfficer())
                .queryParam("subjectId", subject.toString()).when().get("/v1/audit/personal-data-access").then()
                .statusCode(200).extract().jsonPath().getInt("total") == 3);
        JsonPath access = given().auth().oauth2(securityOfficer()).queryParam("subjectId", subject.toString())
                .when().get("/v1/audit/personal-data-access").then().statusCode(200).extract().jsonPath();
        assertThat(access.getList("items", Map.class)).extracting(m -> m.get("accessorId") + "/" + m.get("purposeId"))
                .containsExactlyInAnyOrder(officerId + "/compliance-review", officerId + "/security-investigation",
                        "rights-request-service/rights-export");
        JsonPath own = given().auth().oauth2(TestTokens.subject(subject)).queryParam("type", "PersonalDataAccessed")
                .when().get(history).then().statusCode(200).extract().jsonPath();
        assertThat(own.getList("items.holder", String.class)).containsExactlyInAnyOrder(officerId, officerId,
                "rights-request-service");
    }
}
