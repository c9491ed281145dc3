package io.pledge.notification.cessation;

import static io.pledge.notification.support.Officers.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountRegistered;
import io.pledge.kit.events.EventSchemas;
import io.pledge.notification.smtp.EmbeddedSmtp;
import io.pledge.kit.testing.Db;
import io.pledge.notification.support.Mails;
import io.pledge.notification.support.Officers;
import io.pledge.notification.support.StubServices;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cessation of operation (policy 6.9) against the real database, topics and SMTP server: less than 30 days'
 * notice is refused and changes nothing; a valid schedule publishes CessationScheduled (account-service stops
 * collecting, rights-request-service requests erasure at the end date — their tests), the public announcement,
 * and a notice to every active subject.
 */
@QuarkusTest
class CessationTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    EmbeddedSmtp smtp;

    @AfterEach
    void withdrawAnyCessation() {
        Db.exec(db, "update cessation set cancelled_at = now() where cancelled_at is null");
    }

    private static Map<String, Object> schedule(Instant endsAt) {
        return Map.of("endsAt", endsAt.toString(), "statement", Map.of("zh-CN", "我们将结束云服务业务。", "en", "We are closing our cloud business."));
    }

    @Test
    @Tag("clause-6.9")
    void lessThanThirtyDaysNoticeIsRefusedAndChangesNothing() {
        long before = Db.count(db, "select count(*) from cessation");
        long events = Db.count(db, "select count(*) from pledge_outbox where ce_type like '%CessationScheduled%'");
        long announcements = Db.count(db, "select count(*) from announcement");
        Officers.privacy().body(schedule(Instant.now().plus(29, ChronoUnit.DAYS))).when().post("/v1/cessations").then()
                .statusCode(422).contentType(PROBLEM).body("type", equalTo("urn:pledge:problem:unprocessable"))
                .body("field", equalTo("endsAt"));
        Officers.privacy().body(Map.of("endsAt", Instant.now().plus(40, ChronoUnit.DAYS).toString())).when().post("/v1/cessations")
                .then().statusCode(400).contentType(PROBLEM).body("field", equalTo("statement"));
        Officers.privacy().body(Map.of("endsAt", "soon", "statement", Map.of("zh-CN", "x", "en", "y"))).when().post("/v1/cessations")
                .then().statusCode(400).contentType(PROBLEM);
        Officers.security().body(schedule(Instant.now().plus(40, ChronoUnit.DAYS))).when().post("/v1/cessations").then()
                .statusCode(403).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from cessation")).isEqualTo(before);
        assertThat(Db.count(db, "select count(*) from pledge_outbox where ce_type like '%CessationScheduled%'")).isEqualTo(events);
        assertThat(Db.count(db, "select count(*) from announcement")).isEqualTo(announcements);
    }

    @Test
    @Tag("clause-6.9")
    void schedulingPublishesTheEventAndTheAnnouncementAndNotifiesEverySubject() throws Exception {
        List<UUID> subjects = List.of(UUID.randomUUID(), UUID.randomUUID());
        for (UUID s : subjects) {
            Topics.send(EventTypes.ACCOUNT_REGISTERED, new AccountRegistered(s, "INDIVIDUAL", false, Instant.now()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from subject_directory where subject_id in (?, ?)",
                subjects.get(0), subjects.get(1)) == 2);
        Instant endsAt = Instant.now().plus(31, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);
        JsonPath v;
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("notification.events")) {
            v = Officers.privacy().header("Idempotency-Key", UUID.randomUUID().toString()).body(schedule(endsAt))
                    .when().post("/v1/cessations").then().statusCode(201).extract().jsonPath();
            String id = v.getString("cessationId");
            JsonObject e = Topics.read(topic, schemas, Topics.has(EventTypes.CESSATION_SCHEDULED, id, 1), Duration.ofSeconds(30))
                    .stream().filter(p -> p.is(EventTypes.CESSATION_SCHEDULED)).findFirst().orElseThrow().json();
            assertThat(Instant.parse(e.getString("endsAt"))).isEqualTo(endsAt);
        }
        // a second one while this one stands is a conflict
        Officers.privacy().body(schedule(endsAt.plus(1, ChronoUnit.DAYS))).when().post("/v1/cessations").then().statusCode(409)
                .contentType(PROBLEM);
        given().when().get("/v1/announcements/{id}", v.getString("announcementId")).then().statusCode(200)
                .body("kind", equalTo("CESSATION")).body("body.en", org.hamcrest.Matchers.containsString("We are closing our cloud business."));
        String id = v.getString("cessationId");
        JsonPath done = await().atMost(Duration.ofSeconds(60)).until(() -> Officers.privacy().when().get("/v1/cessations/{id}", id)
                .then().statusCode(200).extract().jsonPath(), j -> "DONE".equals(j.getString("progress.status")));
        assertThat(done.getLong("progress.failed")).isZero();
        for (UUID s : subjects) {
            assertThat(Mails.to(smtp, StubServices.email(s)).stream().filter(m -> Mails.text(m).contains(id))).hasSize(1)
                    .allSatisfy(m -> assertThat(Mails.text(m)).contains("我们将结束云服务业务。", endsAt.toString().substring(0, 10)));
        }
    }
}
