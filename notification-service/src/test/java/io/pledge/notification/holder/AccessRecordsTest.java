package io.pledge.notification.holder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.testing.AccessRecords;
import io.pledge.kit.testing.Db;
import io.pledge.kit.testing.TestTokens;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 5.2.3 in notification-service (real database, broker and the test profile's mail sink): a privacy officer's
 * read of a subject's messages names why and is recorded as PersonalDataAccessed on the real access.records topic
 * (schema-checked); without a purpose it is refused and records nothing; rights-request-service's export read and the
 * print provider's taking of a letter are recorded as theirs; the subject's own read records nothing. Faked: the token
 * signer (TestTokens, which only %test trusts).
 */
@QuarkusTest
@Tag("clause-5.2.3")
class AccessRecordsTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;

    @Test
    void readsOfMessagesAndLettersAreRecordedWithWhoWhatAndWhy() throws Exception {
        UUID subject = UUID.randomUUID();
        NoticeRequested n = new NoticeRequested(UUID.randomUUID(), subject, "SERVICE", "service-notice",
                List.of("EMAIL", "LETTER"), "en", Map.of("requestId", "r-access"), Instant.now());
        Topics.send(EventTypes.NOTICE_REQUESTED, n);
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from print_job where subject_id = ?",
                subject) == 1 && Db.count(db, "select count(*) from delivery where notice_id = ? and status = 'SENT'",
                n.noticeId()) >= 1);
        String officerId = UUID.randomUUID().toString();
        String officer = TestTokens.token(officerId, Set.of(Roles.PRIVACY_OFFICER), Duration.ofMinutes(10));
        String printer = TestTokens.client("print-provider", "notification-service", Set.of(Scopes.PRINT_JOB_EXPORT),
                Duration.ofMinutes(5));
        try (AccessRecords records = AccessRecords.tail(schemas, io.pledge.notification.support.Topics.BOOTSTRAP)) {
            given().auth().oauth2(officer).when().get("/v1/notifications/{s}/export", subject).then()
                    .statusCode(400).contentType("application/problem+json").body("field", equalTo("purpose"));
            given().auth().oauth2(TestTokens.subject(subject)).when().get("/v1/notifications/{s}/export", subject)
                    .then().statusCode(200);
            given().auth().oauth2(officer).queryParam("purpose", "security-investigation").when()
                    .get("/v1/notifications/{s}/export", subject).then().statusCode(200)
                    .body("messages.size()", equalTo(2));
            given().auth().oauth2(TestTokens.service("rights-request-service", "notification-service")).when()
                    .get("/v1/notifications/{s}/export", subject).then().statusCode(200);
            List<Map<String, Object>> letters = given().auth().oauth2(printer).when()
                    .post("/internal/v1/print-jobs/export?limit=1000").then().statusCode(200).extract().jsonPath()
                    .getList("$");
            assertThat(letters).anySatisfy(l -> assertThat(l.get("subjectId")).isEqualTo(subject.toString()));

            List<JsonObject> reads = records.of(subject, 3, Duration.ofSeconds(15), Duration.ofSeconds(2));
            assertThat(reads).extracting(r -> r.getString("accessorId"))
                    .containsExactly(officerId, "rights-request-service", "print-provider");
            assertThat(reads).extracting(r -> r.getString("accessorRole")).containsExactly("PRIVACY_OFFICER", "SERVICE",
                    "HOLDER");
            assertThat(reads).extracting(r -> r.getString("purposeId"))
                    .containsExactly("security-investigation", "rights-export", "letter-printing");
            assertThat(reads.get(0).getJsonArray("fields").getList()).containsExactly("notices", "deliveries");
            assertThat(reads.get(2).getJsonArray("fields").getList()).containsExactly("letters");
        }
    }
}
