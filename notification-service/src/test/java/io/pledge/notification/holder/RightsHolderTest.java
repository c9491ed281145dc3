package io.pledge.notification.holder;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.notification.NoticeRequested;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.events.rights.ProcessingStopRequested;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.testing.TestTokens;
import io.pledge.kit.testing.Db;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * notification-service as a holder: commands sent to the real rights.commands topic as rights-request-service
 * sends them, replies read back from the real rights.replies topic and held against their schema.
 */
@QuarkusTest
class RightsHolderTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;

    private List<Topics.Published> replies(KafkaConsumer<String, byte[]> topic, UUID requestId, Duration extra) {
        List<Topics.Published> got = new ArrayList<>(Topics.read(topic, schemas,
                Topics.has(EventTypes.HOLDER_REPLIED, requestId.toString(), 1), Duration.ofSeconds(30)));
        got.addAll(Topics.read(topic, schemas, l -> false, extra));
        return got.stream().filter(p -> p.is(EventTypes.HOLDER_REPLIED) && p.body().contains(requestId.toString())).toList();
    }

    private void delivered(UUID subject, String locale) throws Exception {
        NoticeRequested n = new NoticeRequested(UUID.randomUUID(), subject, "SERVICE", "service-notice", List.of("EMAIL"), locale,
                Map.of("requestId", "r-" + locale), Instant.now());
        Topics.send(EventTypes.NOTICE_REQUESTED, n);
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from delivery where notice_id = ? "
                + "and status = 'SENT'", n.noticeId()) == 1);
    }

    @Test
    @Tag("clause-6.3")
    void erasureRemovesTheSubjectFromEveryDeliveryRecordAndRepliesOnceEvenWhenDeliveredTwice() throws Exception {
        UUID subject = UUID.randomUUID();
        delivered(subject, "en");
        delivered(subject, "zh-CN");
        ErasureRequested cmd = new ErasureRequested(UUID.randomUUID(), subject, "6.3.4", List.of("contact", "notification"),
                List.of("notification-service", "account-service"), Instant.now(), Instant.now().plusSeconds(86400 * 30));
        String eventId = UUID.randomUUID().toString();
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.ERASURE_REQUESTED, cmd, eventId);
            Topics.send(EventTypes.ERASURE_REQUESTED, cmd, eventId);
            List<Topics.Published> got = replies(topic, cmd.requestId(), Duration.ofSeconds(3));
            assertThat(got).hasSize(1);
            JsonObject r = got.get(0).json();
            assertThat(r.getString("holderId")).isEqualTo("notification-service");
            assertThat(r.getString("outcome")).isEqualTo("ERASED");
            assertThat(r.getJsonObject("counts").getInteger("delivery")).isEqualTo(2);
        }
        assertThat(Db.count(db, "select count(*) from delivery where subject_id = ?", subject)).isZero();
        // the export now has nothing
        given().auth().oauth2(TestTokens.subject(subject)).when().get("/v1/notifications/{id}/export", subject).then()
                .statusCode(200).body("messages.size()", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void aCommandForOtherHoldersGetsNoReplyFromThisOne() throws Exception {
        ErasureRequested cmd = new ErasureRequested(UUID.randomUUID(), UUID.randomUUID(), "6.3.4", List.of("contact"),
                List.of("account-service"), Instant.now(), Instant.now().plusSeconds(86400));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.ERASURE_REQUESTED, cmd);
            assertThat(Topics.read(topic, schemas, l -> false, Duration.ofSeconds(4)).stream()
                    .filter(p -> p.body().contains(cmd.requestId().toString()))).isEmpty();
        }
    }

    @Test
    @Tag("clause-6.1")
    void exportPointsToTheSubjectsMessagesWhichOnlyTheSubjectOrAHolderMayRead() throws Exception {
        UUID subject = UUID.randomUUID();
        delivered(subject, "en");
        ExportRequested cmd = new ExportRequested(UUID.randomUUID(), subject, List.of("notification"), List.of("notification-service"),
                "ACCESS", Instant.now(), Instant.now().plusSeconds(86400));
        String location;
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.EXPORT_REQUESTED, cmd);
            JsonObject r = replies(topic, cmd.requestId(), Duration.ZERO).get(0).json();
            assertThat(r.getString("outcome")).isEqualTo("EXPORTED");
            location = r.getString("exportLocation");
        }
        assertThat(location).isEqualTo("https://pledge.local/api/notifications/v1/notifications/" + subject
                + "/export?requestId=" + cmd.requestId());
        String path = location.substring("https://pledge.local/api/notifications".length());
        JsonPath export = given().auth().oauth2(TestTokens.service("rights-request-service", "notification-service"))
                .when().get(path).then().statusCode(200).extract().jsonPath();
        // no other client reads it: not notification's own callers, not a client holding the scope, not
        // rights-request-service with a token for another service or without the scope
        for (String other : List.of(TestTokens.service("account-service", "notification-service"),
                TestTokens.client("print-provider", "notification-service", Set.of(Scopes.PRINT_JOB_EXPORT), Duration.ofMinutes(5)),
                TestTokens.client("analytics", "notification-service", Set.of(Scopes.NOTIFICATION_EXPORT_READ), Duration.ofMinutes(5)),
                TestTokens.client("rights-request-service", "notification-service", Set.of(Scopes.TOKEN_INTROSPECT), Duration.ofMinutes(5)))) {
            given().auth().oauth2(other).when().get(path).then().statusCode(403).contentType("application/problem+json")
                    .body("type", org.hamcrest.Matchers.equalTo("urn:pledge:problem:forbidden"))
                    .body("messages", org.hamcrest.Matchers.nullValue());
        }
        given().auth().oauth2(TestTokens.service("rights-request-service", "account-service")).when().get(path).then()
                .statusCode(401).contentType("application/problem+json");
        assertThat(export.getString("requestId")).isEqualTo(cmd.requestId().toString());
        assertThat(export.getList("messages")).hasSize(1);
        assertThat(export.getString("messages[0].subject")).isEqualTo("A message about your Pledge account");
        assertThat(export.getString("messages[0].text")).contains("r-en");
        given().auth().oauth2(TestTokens.subject(subject)).when().get(path).then().statusCode(200);
        given().auth().oauth2(TestTokens.subject(UUID.randomUUID())).when().get(path).then().statusCode(403)
                .contentType("application/problem+json");
        given().when().get(path).then().statusCode(401);

        // nothing held: NOT_HELD
        ExportRequested none = new ExportRequested(UUID.randomUUID(), UUID.randomUUID(), List.of("notification"),
                List.of("notification-service"), "COPY", Instant.now(), Instant.now().plusSeconds(86400));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.EXPORT_REQUESTED, none);
            assertThat(replies(topic, none.requestId(), Duration.ZERO).get(0).json().getString("outcome")).isEqualTo("NOT_HELD");
        }
    }

    @Test
    @Tag("clause-6.4")
    void aProcessingStopForAPurposeThisServiceDoesNotProcessIsNotHeld() throws Exception {
        ProcessingStopRequested cmd = new ProcessingStopRequested(UUID.randomUUID(), UUID.randomUUID(), "profiling", null,
                List.of("notification-service"), Instant.now());
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.PROCESSING_STOP_REQUESTED, cmd);
            assertThat(replies(topic, cmd.requestId(), Duration.ZERO).get(0).json().getString("outcome")).isEqualTo("NOT_HELD");
        }
    }
}
