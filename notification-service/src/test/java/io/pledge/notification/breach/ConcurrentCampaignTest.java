package io.pledge.notification.breach;

import static io.pledge.notification.support.Officers.declaration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.Db;
import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.delivery.DeliveryWorker;
import io.pledge.notification.support.Officers;
import io.pledge.notification.support.SmtpRelay;
import io.pledge.notification.support.SmtpSink;
import io.pledge.notification.support.StubServices;
import io.pledge.notification.support.Topics;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A breach campaign handed to SMTP concurrently (a claimed batch's messages go out through the shared pool of
 * {@code delivery.send-concurrency} senders): more messages are in the SMTP server's hands at once than there are
 * worker threads, never more than the configured bound, and the bookkeeping stays per message — every subject gets
 * exactly one notice; a recipient the server refuses once (451) is retried and gets one; one it refuses for good (550)
 * is FAILED with {@code NoticeFailed(SMTP_REJECTED)}; a worker stopped with sends in flight finishes and records each of
 * them, and resumes without sending any again. Real: PostgreSQL, the tests' Kafka broker (events read back and held
 * against their schema) and an SMTP server ({@link SmtpSink}, which remembers each accepted message's recipient and
 * delivery id, and makes each DATA take a few milliseconds so that concurrency shows). Stand-in: account-service's
 * contact lookup ({@link StubServices}).
 */
@QuarkusTest
@TestProfile(SmtpRelay.class)
class ConcurrentCampaignTest {

    private static SmtpSink sink;

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    DeliveryWorker worker;
    @Inject
    NotificationConfig config;

    @BeforeAll
    static void startRelay() {
        sink = SmtpSink.start(SmtpRelay.PORT);
    }

    @AfterAll
    static void stopRelay() {
        sink.close();
    }

    @BeforeEach
    void resetRelay() {
        sink.reset();
    }

    private static JsonPath incident(String id) {
        return Officers.security().when().get("/v1/incidents/{id}", id).then().statusCode(200).extract().jsonPath();
    }

    private static String declare(List<UUID> subjects) {
        return Officers.security().body(declaration("SUBJECTS", subjects, List.of("EMAIL")))
                .when().post("/v1/incidents").then().statusCode(201).extract().path("incidentId");
    }

    private static List<UUID> subjects(int n) {
        List<UUID> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(UUID.randomUUID());
        }
        return out;
    }

    /** Accepted messages per recipient among {@code addresses}. */
    private static Map<String, Long> perRecipient(Set<String> addresses) {
        return sink.accepted().stream().filter(a -> addresses.contains(a.recipient()))
                .collect(Collectors.groupingBy(SmtpSink.Accepted::recipient, Collectors.counting()));
    }

    @Test
    @Tag("clause-5.3")
    void everySubjectGetsExactlyOneNoticeWhileManyAreInFlightAndRefusalsAreRetriedOrRecorded() {
        int n = 2_000;
        List<UUID> subjects = subjects(n);
        Function<UUID, String> email = StubServices::email;
        Set<String> addresses = subjects.stream().map(email).collect(Collectors.toSet());
        Set<String> once = subjects.subList(0, 40).stream().map(email).collect(Collectors.toSet());
        Set<String> refused = subjects.subList(40, 55).stream().map(email).collect(Collectors.toSet());
        sink.refuseOnce(once);
        sink.refuse(refused);
        sink.dataTakes(15);

        JsonPath done;
        List<Topics.Published> failures;
        try (KafkaConsumer<String, byte[]> events = Topics.tail("notification.events")) {
            String id = declare(subjects);
            done = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> incident(id), j -> "DONE".equals(j.getString("progress.status")));
            failures = Topics.read(events, schemas, l -> l.stream().filter(p -> p.is(EventTypes.NOTICE_FAILED)
                    && refused.contains(StubServices.email(UUID.fromString(p.json().getString("subjectId"))))).count() >= refused.size(),
                    Duration.ofSeconds(30)).stream().filter(p -> p.is(EventTypes.NOTICE_FAILED)).toList();
        }
        UUID campaign = UUID.fromString(done.getString("campaignId"));

        assertThat(done.getLong("progress.notices")).isEqualTo(n);
        assertThat(done.getLong("progress.delivered")).isEqualTo(n - refused.size());
        assertThat(done.getLong("progress.failed")).isEqualTo(refused.size());
        assertThat(done.getLong("progress.remaining")).isZero();

        // exactly one message per reachable subject, each with a delivery id of its own
        Map<String, Long> got = perRecipient(addresses);
        Set<String> reachable = new HashSet<>(addresses);
        reachable.removeAll(refused);
        assertThat(got.keySet()).isEqualTo(reachable);
        assertThat(got.values()).allMatch(c -> c == 1);
        assertThat(sink.accepted().stream().filter(a -> addresses.contains(a.recipient())).map(SmtpSink.Accepted::deliveryId)
                .distinct().count()).isEqualTo(reachable.size());

        // refused once: retried after the back-off, sent on a later attempt (a transport hiccup on a busy machine may
        // retry any message once more: a retry is legitimate, a second message is not, and none reached the relay)
        for (UUID s : subjects.subList(0, 40)) {
            assertThat(Db.string(db, "select status from delivery where campaign_id = ? and subject_id = ?", campaign, s))
                    .isEqualTo("SENT");
            assertThat(Db.count(db, "select attempts from delivery where campaign_id = ? and subject_id = ?", campaign, s))
                    .isGreaterThanOrEqualTo(2);
        }
        // refused for good: failed, recorded with its reason and published (as above, a transport hiccup on a busy
        // machine may add an attempt before the relay's refusal; the refusal itself is never retried)
        assertThat(Db.count(db, "select count(*) from delivery where campaign_id = ? and status = 'FAILED' "
                + "and reason_code = 'SMTP_REJECTED' and attempts >= 1 and handed_at is not null", campaign)).isEqualTo(refused.size());
        assertThat(failures).filteredOn(p -> refused.contains(StubServices.email(UUID.fromString(p.json().getString("subjectId")))))
                .hasSize(refused.size())
                .allSatisfy(p -> assertThat(p.json().getString("reasonCode")).isEqualTo("SMTP_REJECTED"));
        assertThat(Db.count(db, "select count(*) from delivery where campaign_id = ? and status = 'SENT'", campaign))
                .isEqualTo(n - refused.size());

        // concurrency: more in the server's hands at once than worker threads, never more than the bound
        assertThat(sink.maxConcurrent()).as("messages in DATA at once")
                .isGreaterThan(config.delivery().threads())
                .isLessThanOrEqualTo(config.delivery().sendConcurrency());
    }

    @Test
    @Tag("clause-5.3")
    void aWorkerStoppedWithSendsInFlightRecordsEachOfThemAndResumesWithoutSendingAnyAgain() {
        int n = 3_000;
        List<UUID> subjects = subjects(n);
        Set<String> addresses = subjects.stream().map(StubServices::email).collect(Collectors.toSet());
        sink.dataTakes(10);
        String id = declare(subjects);
        try {
            await().atMost(Duration.ofMinutes(2)).until(() -> sink.count() >= 600);
            worker.stop();
            UUID campaign = UUID.fromString(incident(id).getString("campaignId"));
            // every message the server took is recorded SENT, none is left SENDING, nothing more goes out
            long handed = sink.count();
            assertThat(handed).isLessThan(n);
            assertThat(Db.count(db, "select count(*) from delivery where campaign_id = ? and status = 'SENDING'", campaign))
                    .as("claimed but not recorded").isZero();
            assertThat(Db.count(db, "select count(*) from delivery where campaign_id = ? and status = 'SENT'", campaign))
                    .isEqualTo(handed);
            sleep(1500);
            assertThat(sink.count()).as("nothing is sent while stopped").isEqualTo(handed);
        } finally {
            worker.start();
        }
        JsonPath done = await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> incident(id), j -> "DONE".equals(j.getString("progress.status")));
        assertThat(done.getLong("progress.delivered")).isEqualTo(n);
        Map<String, Long> got = perRecipient(addresses);
        assertThat(got).hasSize(n);
        assertThat(got.values()).allMatch(c -> c == 1);
        // nothing went out twice: the relay took exactly one message per subject, n in all (a delivery whose attempt
        // failed in transport, e.g. the one in flight when the worker stopped, may be attempted again)
        assertThat(sink.accepted().stream().filter(a -> addresses.contains(a.recipient())).count()).isEqualTo(n);
        assertThat(Db.count(db, "select count(*) from delivery where campaign_id = ? and status = 'SENT'",
                UUID.fromString(done.getString("campaignId")))).isEqualTo(n);
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
