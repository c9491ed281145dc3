package io.pledge.account.holder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.account.support.Api;
import io.pledge.account.support.StaffAccounts;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 5.2.3 in account-service: a privacy officer's read of a subject's account export names why and is recorded
 * (who, which fields, why) as PersonalDataAccessed on the real access.records topic, checked against its schema;
 * without a purpose it is refused and nothing is recorded; rights-request-service's read is recorded as that service's,
 * for the export; the subject's own read is not someone else's read and records nothing. Real database and broker;
 * the officer signs in for real (password and TOTP, {@code StaffAccounts}); the service token is account-service's own.
 */
@QuarkusTest
@Tag("clause-5.2.3")
class AccessRecordsTest {

    @Inject
    Api api;
    @Inject
    StaffAccounts staff;
    @Inject
    EventSchemas schemas;

    @Test
    void staffAndServiceReadsOfTheExportAreRecordedWithWhoWhatAndWhy() {
        Api.Person p = api.adult("access");
        StaffAccounts.Member officer = staff.member(Roles.PRIVACY_OFFICER);
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("access.records")) {
            given().auth().oauth2(officer.access).when().get("/v1/accounts/{id}/export", p.id()).then()
                    .statusCode(400).contentType(Api.PROBLEM).body("field", equalTo("purpose"));
            given().auth().oauth2(officer.access).when().get("/v1/accounts/{id}/export?purpose=marketing", p.id())
                    .then().statusCode(400).contentType(Api.PROBLEM).body("field", equalTo("purpose"));
            Api.as(p).when().get("/v1/accounts/{id}/export", p.id()).then().statusCode(200);
            given().auth().oauth2(officer.access).when().get("/v1/accounts/{id}/export?purpose=support-case", p.id())
                    .then().statusCode(200).body("account.subjectId", equalTo(p.id().toString()));
            given().auth().oauth2(api.holderToken("rights-request-service")).when()
                    .get("/v1/accounts/{id}/export", p.id()).then().statusCode(200);

            List<Topics.Published> seen = Topics.read(topic, schemas,
                    Topics.has(EventTypes.PERSONAL_DATA_ACCESSED, p.id().toString(), 2), Duration.ofSeconds(15));
            // read on a little: a refused read or the subject's own would show as a third record
            seen = new java.util.ArrayList<>(seen);
            seen.addAll(Topics.read(topic, schemas, l -> false, Duration.ofSeconds(2)));
            List<JsonObject> reads = seen.stream().filter(e -> e.is(EventTypes.PERSONAL_DATA_ACCESSED)
                    && e.key().equals(p.id().toString())).map(Topics.Published::json).toList();
            assertThat(reads).hasSize(2);
            assertThat(reads.get(0).getString("accessorId")).isEqualTo(officer.id.toString());
            assertThat(reads.get(0).getString("accessorRole")).isEqualTo("PRIVACY_OFFICER");
            assertThat(reads.get(0).getString("purposeId")).isEqualTo("support-case");
            assertThat(reads.get(0).getJsonArray("fields").getList()).contains("email", "mobile", "profile");
            assertThat(reads.get(1).getString("accessorId")).isEqualTo("rights-request-service");
            assertThat(reads.get(1).getString("accessorRole")).isEqualTo("SERVICE");
            assertThat(reads.get(1).getString("purposeId")).isEqualTo("rights-export");
            assertThat(seen.stream().map(Topics.Published::body)).noneMatch(b -> b.contains(p.email()));
        }
    }
}
