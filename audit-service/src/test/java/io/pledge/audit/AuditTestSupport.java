package io.pledge.audit;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.Ledger;
import io.pledge.events.EventJson;
import io.pledge.events.EventType;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.security.Roles;
import io.pledge.kit.testing.TestKafka;
import io.pledge.kit.testing.TestTokens;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test support: publishes events to the real topics of the shared local broker the way producers do (CloudEvents
 * binary mode, a plain KafkaProducer), with bodies from privacy-events' published examples whose ids are replaced by
 * fresh UUIDs, and reads the ledger with plain JDBC.
 */
public final class AuditTestSupport {

    public static final String BOOTSTRAP = TestKafka.BOOTSTRAP;
    private static KafkaProducer<String, byte[]> producer;

    private AuditTestSupport() {
    }

    public static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            // plays every publisher at once (all topics, dead letters included): the tests' operator
            Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, BOOTSTRAP);
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            producer = new KafkaProducer<>(p);
        }
        return producer;
    }

    /** The published example of a type with every id-like field (UUID valued) replaced by a fresh UUID. */
    public static ObjectNode example(EventType<?> type) {
        try (InputStream in = AuditTestSupport.class.getClassLoader().getResourceAsStream(type.exampleResource())) {
            ObjectNode body = (ObjectNode) EventJson.mapper().readTree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            freshIds(body);
            return body;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void freshIds(ObjectNode node) {
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            if (f.getValue().isTextual() && f.getValue().asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")) {
                f.setValue(EventJson.mapper().getNodeFactory().textNode(UUID.randomUUID().toString()));
            } else if (f.getValue() instanceof ObjectNode o) {
                freshIds(o);
            }
        }
    }

    /** The envelope a producer would send for this body (subject from its subjectId, if any). */
    public static Envelope envelope(EventType<?> type, ObjectNode body) {
        String subject = body.hasNonNull("subjectId") ? body.get("subjectId").asText() : null;
        return new Envelope(UUID.randomUUID().toString(), type.type(), "/pledge/audit-test", subject,
                Instant.now().truncatedTo(ChronoUnit.MILLIS), type.dataschema());
    }

    /** Sends and waits for the broker's acknowledgement. */
    public static void send(String topic, String key, Headers headers, String body) {
        try {
            producer().send(new ProducerRecord<>(topic, null, key, body == null ? null : body.getBytes(StandardCharsets.UTF_8),
                    headers)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish to " + topic, e);
        }
    }

    /** Publishes an event of that type with that body; returns its envelope. */
    public static Envelope publish(EventType<?> type, ObjectNode body) {
        Envelope env = envelope(type, body);
        publish(type, env, body);
        return env;
    }

    public static void publish(EventType<?> type, Envelope env, ObjectNode body) {
        String key = body.hasNonNull("subjectId") ? body.get("subjectId").asText() : body.path("requestId").asText("none");
        send(type.topic(), key, env.toHeaders(), body.toString());
    }

    public static String officer() {
        return TestTokens.token("officer-" + UUID.randomUUID(), Set.of(Roles.PRIVACY_OFFICER), Duration.ofMinutes(10));
    }

    public static String securityOfficer() {
        return TestTokens.token("security-" + UUID.randomUUID(), Set.of(Roles.SECURITY_OFFICER), Duration.ofMinutes(10));
    }

    /** The entries recorded under an event id. */
    public static List<AuditEntry> entries(AgroalDataSource db, String where, Object... params) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + Ledger.COLUMNS + " from audit_entry where " + where
                     + " order by seq")) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            List<AuditEntry> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(Ledger.read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until an event id is recorded and returns its entry. */
    public static AuditEntry awaitRecorded(AgroalDataSource db, String eventId) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> !entries(db, "event_id = ?", eventId).isEmpty());
        return entries(db, "event_id = ?", eventId).get(0);
    }

    /** The dead-letter metadata entry recorded for an original event id, once it appears. */
    public static Optional<AuditEntry> deadLetterOf(AgroalDataSource db, String originalEventId) {
        List<AuditEntry> found = entries(db, "category = 'dead-letter' and body::jsonb ->> 'originalEventId' = ?",
                originalEventId);
        return found.stream().findFirst();
    }

    public static long count(AgroalDataSource db, String sql, Object... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
