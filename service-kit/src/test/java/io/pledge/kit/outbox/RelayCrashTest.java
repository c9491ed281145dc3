package io.pledge.kit.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.pledge.kit.events.CloudEventHeaders;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.testing.TestBrokerResource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The relay's process is killed with SIGKILL after the broker acknowledged an event and before the
 * row was marked sent. The next relay sends it again (at least once), and the idempotent inbox
 * applies it once. The relay runs as a separate JVM ({@link RelayProcessMain}); this application's
 * own relay is off so that only the killed one is in play. Real PostgreSQL, real broker.
 */
@QuarkusTest
@TestProfile(RelayCrashTest.OwnRelayOff.class)
class RelayCrashTest {

    /** This application consumes but does not relay. */
    public static class OwnRelayOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("pledge.outbox.relay-enabled", "false");
        }
    }

    @Inject
    Outbox outbox;

    @Inject
    AgroalDataSource db;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    @Test
    void aRelayKilledBetweenSendingAndMarkingSendsAgainAndTheEventIsAppliedOnce() throws Exception {
        String key = "crash-" + UUID.randomUUID();
        Envelope event = QuarkusTransaction.requiringNew().call(() ->
                outbox.publish(KitTestEvent.TYPE, new KitTestEvent(key, 1, "survives a crash")));
        double duplicatesBefore = duplicates();

        Process first = relay(Duration.ofMinutes(10));
        try {
            // sent and applied while the relay sleeps between the broker's ack and the mark
            await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from kit_test_applied where event_id = ?", event.id()) == 1);
            assertThat(unsent(event.id())).isTrue();
        } finally {
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no commit
            first.waitFor(20, TimeUnit.SECONDS);
        }
        assertThat(first.isAlive()).isFalse();
        assertThat(unsent(event.id())).as("the kill left the row unmarked").isTrue();

        Process second = relay(Duration.ZERO);
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> !unsent(event.id()));
        } finally {
            second.destroy();
            second.waitFor(20, TimeUnit.SECONDS);
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> duplicates() > duplicatesBefore);
        long onTopic = KitTopics.readAll(KitTestEvent.TOPIC, Duration.ofSeconds(3)).stream()
                .filter(r -> key.equals(r.key()))
                .filter(r -> event.id().equals(new String(r.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8)))
                .count();
        assertThat(onTopic).as("the event is on the topic twice: sent, killed, sent again").isEqualTo(2);
        assertThat(count("select count(*) from kit_test_applied where event_id = ?", event.id())).isEqualTo(1);
    }

    private Process relay(Duration pauseAfterSend) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        File log = File.createTempFile("relay-process-", ".log");
        return new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                RelayProcessMain.class.getName(), jdbcUrl, "pledge_kit", "pledge_kit",
                TestBrokerResource.broker().bootstrap(), Long.toString(pauseAfterSend.toMillis())))
                .redirectErrorStream(true).redirectOutput(log).start();
    }

    private double duplicates() {
        return registry.counter("pledge.inbox.duplicates", "consumer", "kit-test-in").count();
    }

    private boolean unsent(String id) throws SQLException {
        return count("select count(*) from pledge_outbox where sent_at is null and id = ?::uuid", id) == 1;
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
}
