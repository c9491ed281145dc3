package io.pledge.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.pledge.kit.events.CloudEventHeaders;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.testing.TestBrokerResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

/**
 * The outbox, the relay and the idempotent inbox end to end, on the real PostgreSQL database
 * {@code pledge_kit} and a real Kafka broker of this test's own (so that it can be stopped):
 * events written in business transactions reach the consumer once each, in order per key, through
 * a broker outage; rolled-back transactions publish nothing; duplicates are skipped; poison records
 * go to the dead-letter topic with their reason and the consumer goes on. Nothing is faked.
 */
@QuarkusTest
@WithTestResource(value = TestBrokerResource.class, scope = TestResourceScope.GLOBAL,
        initArgs = @ResourceArg(name = "topics", value = "kit-test.events,kit-test.events.dlq"))
class OutboxInboxTest {

    @Inject
    Outbox outbox;

    @Inject
    AgroalDataSource db;

    @Inject
    OutboxPurge purge;

    private Envelope publish(String key, int seq, String note) {
        return QuarkusTransaction.requiringNew().call(() -> outbox.publish(KitTestEvent.TYPE, new KitTestEvent(key, seq, note)));
    }

    @Test
    void tenThousandEventsFromConcurrentTransactionsAreAppliedOnceEachInOrderPerKey() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        int threads = 8;
        int keysPerThread = 5;
        int eventsPerKey = 250; // 8 x 5 x 250 = 10,000
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            done.add(pool.submit(() -> {
                // each key belongs to one thread, so its events commit in seq order
                for (int seq = 0; seq < eventsPerKey; seq++) {
                    for (int k = 0; k < keysPerThread; k++) {
                        publish(run + "-" + thread + "-" + k, seq, null);
                    }
                }
            }));
        }
        for (Future<?> f : done) {
            f.get(5, TimeUnit.MINUTES);
        }
        pool.shutdown();

        int expected = threads * keysPerThread * eventsPerKey;
        await().atMost(Duration.ofMinutes(4)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("select count(*) from kit_test_applied where message_key like ?", run + "-%") >= expected);

        assertThat(count("select count(*) from kit_test_applied where message_key like ?", run + "-%")).isEqualTo(expected);
        assertThat(count("select count(distinct event_id) from kit_test_applied where message_key like ?", run + "-%"))
                .isEqualTo(expected);
        assertInOrderPerKey(run + "-%", eventsPerKey);
        await().atMost(Duration.ofSeconds(30)).until(() ->
                count("select count(*) from pledge_outbox where sent_at is null and message_key like ?", run + "-%") == 0);
    }

    @Test
    void aRolledBackTransactionPublishesNothing() throws SQLException {
        String key = "rollback-" + UUID.randomUUID();
        try {
            QuarkusTransaction.requiringNew().run(() -> {
                outbox.publish(KitTestEvent.TYPE, new KitTestEvent(key, 0, "doomed"));
                throw new IllegalStateException("business rule failed after the event was written");
            });
        } catch (IllegalStateException expected) {
            // the transaction rolled back
        }
        Envelope marker = publish(key, 1, "committed");
        await().atMost(Duration.ofSeconds(60)).until(() -> applied(marker.id()) == 1);
        assertThat(count("select count(*) from kit_test_applied where message_key = ?", key)).isEqualTo(1);
        assertThat(count("select count(*) from pledge_outbox where message_key = ?", key)).isEqualTo(1);
    }

    @Test
    void aDuplicateDeliveryChangesNothing() throws Exception {
        String id = UUID.randomUUID().toString();
        String key = "dup-" + UUID.randomUUID();
        try (KafkaProducer<String, byte[]> p = KitTopics.rawProducer()) {
            for (int i = 0; i < 3; i++) {
                p.send(record(key, envelope(id, KitTestEvent.TYPE.type()), "{\"key\":\"" + key + "\",\"seq\":7}")).get();
            }
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> applied(id) == 1);
        Envelope after = publish(key, 8, "after the duplicates");
        await().atMost(Duration.ofSeconds(60)).until(() -> applied(after.id()) == 1);
        assertThat(applied(id)).isEqualTo(1);
        assertThat(count("select count(*) from pledge_processed_event where event_id = ?", id)).isEqualTo(1);
    }

    @Test
    void poisonRecordsGoToTheDeadLetterTopicWithTheirReasonAndTheConsumerGoesOn() throws Exception {
        String key = "poison-" + UUID.randomUUID();
        Map<String, String> expectedReasons = new HashMap<>();
        try (KafkaProducer<String, byte[]> p = KitTopics.rawProducer()) {
            String noHeaders = "nh-" + UUID.randomUUID();
            p.send(new ProducerRecord<>(KitTestEvent.TOPIC, null, key, ("{\"marker\":\"" + noHeaders + "\"}").getBytes(StandardCharsets.UTF_8))).get();
            expectedReasons.put(noHeaders, "not a CloudEvents 1.0 record");

            String unknown = UUID.randomUUID().toString();
            p.send(record(key, envelope(unknown, "io.pledge.kittest.NoSuchEvent.v1"), "{}")).get();
            expectedReasons.put(unknown, "unknown event type");

            String notJson = UUID.randomUUID().toString();
            p.send(record(key, envelope(notJson, KitTestEvent.TYPE.type()), "{not json")).get();
            expectedReasons.put(notJson, "not a JSON object");

            String invalid = UUID.randomUUID().toString();
            p.send(record(key, envelope(invalid, KitTestEvent.TYPE.type()), "{\"key\":\"" + key + "\",\"seq\":-3}")).get();
            expectedReasons.put(invalid, "invalid against urn:pledge:schema:kittest:KitTestEvent:v1");

            String refused = UUID.randomUUID().toString();
            p.send(record(key, envelope(refused, KitTestEvent.TYPE.type()), "{\"key\":\"" + key + "\",\"seq\":1,\"note\":\"refuse\"}")).get();
            expectedReasons.put(refused, "refused by the consumer's rule");
        }
        Envelope good = publish(key, 2, "good after poison");
        await().atMost(Duration.ofSeconds(60)).until(() -> applied(good.id()) == 1);

        List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            dead.clear();
            KitTopics.readAll(KitTopics.DLQ, Duration.ofSeconds(3)).stream().filter(r -> key.equals(r.key())).forEach(dead::add);
            return dead.size() >= expectedReasons.size();
        });
        assertThat(dead).hasSize(expectedReasons.size());
        for (ConsumerRecord<String, byte[]> r : dead) {
            String reason = header(r, "dead-letter-reason");
            String id = header(r, CloudEventHeaders.ID);
            String marker = id != null ? id : new String(r.value(), StandardCharsets.UTF_8).replaceAll(".*\"marker\":\"([^\"]+)\".*", "$1");
            assertThat(expectedReasons).containsKey(marker);
            assertThat(reason).as("reason of %s", marker).contains(expectedReasons.get(marker));
            assertThat(header(r, "dead-letter-topic")).isEqualTo(KitTestEvent.TOPIC);
        }
        assertThat(count("select count(*) from kit_test_applied where message_key = ?", key)).isEqualTo(1);
    }

    @Test
    void aBrokerOutageLongerThanTheProducerTimeoutsLosesNothingAndAppliesNothingTwice() throws Exception {
        String run = "outage-" + UUID.randomUUID().toString().substring(0, 8);
        int total = 600;
        AtomicBoolean brokerDown = new AtomicBoolean();
        ExecutorService writer = Executors.newSingleThreadExecutor();
        Future<?> writing = writer.submit(() -> {
            for (int seq = 0; seq < total; seq++) {
                publish(run + "-" + (seq % 3), seq, null);
                if (seq % 50 == 0) {
                    sleep(100);
                }
            }
        });
        await().atMost(Duration.ofSeconds(60)).until(() ->
                count("select count(*) from kit_test_applied where message_key like ?", run + "-%") > 50);
        Instant stopped = Instant.now();
        TestBrokerResource.broker().stop();
        brokerDown.set(true);
        writing.get(2, TimeUnit.MINUTES); // the business keeps committing while the broker is down
        long waiting = count("select count(*) from pledge_outbox where sent_at is null and message_key like ?", run + "-%");
        sleep(Math.max(0, 8_000 - Duration.between(stopped, Instant.now()).toMillis())); // past the 4 s delivery timeout
        TestBrokerResource.broker().start();
        writer.shutdown();

        assertThat(waiting).as("rows waiting in the outbox while the broker was down").isPositive();
        await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() ->
                count("select count(*) from kit_test_applied where message_key like ?", run + "-%") >= total);
        sleep(3_000); // anything re-sent after the restart has had time to arrive
        assertThat(count("select count(*) from kit_test_applied where message_key like ?", run + "-%")).isEqualTo(total);
        assertThat(count("select count(distinct event_id) from kit_test_applied where message_key like ?", run + "-%")).isEqualTo(total);
        assertInOrderPerKey(run + "-%", -1);
    }

    @Test
    void metricsExposeOutboxBacklogSendRateConsumerLagAndDeadLetters() throws Exception {
        Envelope e = publish("metrics-" + UUID.randomUUID(), 0, null);
        await().atMost(Duration.ofSeconds(60)).until(() -> applied(e.id()) == 1);
        String metrics = io.restassured.RestAssured.given().when().get("/q/metrics").then().statusCode(200)
                .extract().asString();
        assertThat(metrics)
                .contains("pledge_outbox_backlog")
                .contains("pledge_outbox_oldest_unsent_age_seconds")
                .contains("pledge_outbox_sent_total")
                .contains("pledge_inbox_applied_total{consumer=\"kit-test-in\"")
                .contains("kafka_consumer_fetch_manager_records_lag");
    }

    @Test
    void thePurgeDeletesOnlyRowsSentBeforeTheCutoff() throws Exception {
        String key = "purge-" + UUID.randomUUID();
        Envelope sent = publish(key, 0, null);
        await().atMost(Duration.ofSeconds(60)).until(() ->
                count("select count(*) from pledge_outbox where sent_at is not null and id = ?::uuid", sent.id()) == 1);
        try (Connection relayHold = db.getConnection()) {
            // hold the relay's lock so that a row stays unsent while the purge runs
            try (PreparedStatement ps = relayHold.prepareStatement("select pg_advisory_lock(?)")) {
                ps.setLong(1, OutboxRelayCore.RELAY_LOCK);
                ps.execute();
            }
            Envelope unsent = publish(key, 1, null);
            purge.purge(Instant.now().plusSeconds(1));
            assertThat(count("select count(*) from pledge_outbox where id = ?::uuid", sent.id())).isZero();
            assertThat(count("select count(*) from pledge_outbox where sent_at is null and id = ?::uuid", unsent.id())).isEqualTo(1);
            try (PreparedStatement ps = relayHold.prepareStatement("select pg_advisory_unlock(?)")) {
                ps.setLong(1, OutboxRelayCore.RELAY_LOCK);
                ps.execute();
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> applied(unsent.id()) == 1);
        }
    }

    private void assertInOrderPerKey(String keyPattern, int expectedPerKey) throws SQLException {
        Map<String, List<Integer>> seqs = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select message_key, seq from kit_test_applied where message_key like ? order by applied_order")) {
            ps.setString(1, keyPattern);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    seqs.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(rs.getInt(2));
                }
            }
        }
        assertThat(seqs).isNotEmpty();
        seqs.forEach((key, list) -> {
            assertThat(list).as("applied order of key %s", key).isSorted().doesNotHaveDuplicates();
            if (expectedPerKey > 0) {
                assertThat(list).hasSize(expectedPerKey);
            }
        });
    }

    private static ProducerRecord<String, byte[]> record(String key, RecordHeaders headers, String body) {
        return new ProducerRecord<>(KitTestEvent.TOPIC, null, key, body.getBytes(StandardCharsets.UTF_8), headers);
    }

    private static RecordHeaders envelope(String id, String type) {
        return (RecordHeaders) new Envelope(id, type, "/pledge/test-producer", null, Instant.now(), null).toHeaders();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private long applied(String eventId) throws SQLException {
        return count("select count(*) from kit_test_applied where event_id = ?", eventId);
    }

    private long count(String sql, String arg) throws SQLException {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, arg);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
