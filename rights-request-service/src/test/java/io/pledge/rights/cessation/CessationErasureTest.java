package io.pledge.rights.cessation;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountCancelled;
import io.pledge.events.account.AccountRegistered;
import io.pledge.events.notification.CessationScheduled;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.Db;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 6.9 at the end date, against the real PostgreSQL test database and the module's real Kafka broker: the
 * subjects rights-request-service knows from {@code account.events} (two registered, one whose account was cancelled
 * earlier) are each erased once the {@code CessationScheduled} end date passes, by an {@code ErasureRequested} with
 * ground {@code CESSATION} to every holder, each completed with a signed certificate once every holder answered;
 * nothing is issued before the end date, and nothing twice. The events come from a plain Kafka producer; the holders
 * are simulated by plain Kafka replies signed with their registered keys; the end date is a few seconds ahead (the
 * 30-day minimum notice is notification-service's, tested there). Every other known subject of this database is
 * removed from {@code known_subject} first, so that only these three are erased.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class CessationErasureTest {

    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    @Test
    @Tag("clause-6.9")
    void atTheEndDateEveryKnownSubjectCancelledOrNotIsErasedWithACertificate() throws Exception {
        Db.exec(db, "delete from known_subject");
        UUID first = UUID.randomUUID();
        UUID second = UUID.randomUUID();
        UUID cancelled = UUID.randomUUID();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Topics.send(EventTypes.ACCOUNT_REGISTERED, new AccountRegistered(first, "INDIVIDUAL", false, now));
        Topics.send(EventTypes.ACCOUNT_REGISTERED, new AccountRegistered(second, "ENTERPRISE", false, now));
        Topics.send(EventTypes.ACCOUNT_REGISTERED, new AccountRegistered(cancelled, "INDIVIDUAL", false, now));
        // its cancellation's erasure was issued elsewhere already (erasureRequestId set): none is issued here for it
        Topics.send(EventTypes.ACCOUNT_CANCELLED, new AccountCancelled(cancelled, now, UUID.randomUUID()));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db,
                "select count(*) from known_subject where subject_id in (?, ?, ?)", first, second, cancelled) == 3
                && Db.count(db, "select count(*) from known_subject where subject_id = ? and cancelled_at is not null",
                cancelled) == 1);

        UUID cessation = UUID.randomUUID();
        Instant endsAt = Instant.now().plusSeconds(4);
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            Topics.send(EventTypes.CESSATION_SCHEDULED, new CessationScheduled(cessation, now, endsAt));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    Db.count(db, "select count(*) from cessation where id = ?", cessation) == 1);
            if (Instant.now().isBefore(endsAt)) {
                // before its end date nothing is erased
                assertThat(Db.count(db, "select count(*) from rights_request where related_id = ?", cessation)).isZero();
            }

            // at the end date: one erasure per known subject, ground CESSATION, every holder named
            Map<UUID, UUID> requests = new LinkedHashMap<>();
            for (UUID s : List.of(first, second, cancelled)) {
                JsonObject cmd = Topics.await(topics, schemas, EventTypes.ERASURE_REQUESTED, s.toString()).json();
                assertThat(cmd.getString("ground")).isEqualTo("CESSATION");
                assertThat(cmd.getString("subjectId")).isEqualTo(s.toString());
                assertThat(cmd.getJsonArray("holderIds").getList())
                        .contains("account-service", "consent-service", "notification-service", "audit-service");
                UUID id = UUID.fromString(cmd.getString("requestId"));
                requests.put(s, id);
                for (Object h : cmd.getJsonArray("holderIds")) {
                    if (!h.equals("rights-request-service")) {
                        Topics.reply(id, (String) h, s, "ErasureRequested", s.equals(cancelled) ? "NOT_HELD" : "ERASED",
                                null, null, null);
                    }
                }
            }
            for (Map.Entry<UUID, UUID> e : requests.entrySet()) {
                Api.awaitStatus(e.getKey(), e.getValue(), "COMPLETED");
                String payload = Api.as(e.getKey()).when().get("/v1/requests/{id}/certificate", e.getValue()).then()
                        .statusCode(200).extract().path("payload");
                JsonObject cert = new JsonObject(payload);
                assertThat(cert.getString("ground")).isEqualTo("CESSATION");
                assertThat(cert.getString("subjectId")).isEqualTo(e.getKey().toString());
                assertThat(cert.getJsonArray("holders").stream().map(JsonObject.class::cast)
                        .map(h -> h.getString("holderId")).toList())
                        .contains("account-service", "consent-service", "notification-service", "audit-service",
                                "rights-request-service");
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "EXECUTED".equals(
                    Db.string(db, "select status from cessation where id = ?", cessation)));
            assertThat(Db.count(db, "select subjects from cessation where id = ?", cessation)).isEqualTo(3);
            // once per subject, whatever the later watchdog runs
            Thread.sleep(2_500);
            assertThat(Db.count(db, "select count(*) from rights_request where related_id = ?", cessation)).isEqualTo(3);
        }
    }
}
