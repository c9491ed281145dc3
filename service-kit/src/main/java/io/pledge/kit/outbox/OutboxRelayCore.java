package io.pledge.kit.outbox;

import io.pledge.kit.events.Envelope;
import io.pledge.kit.events.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.sql.DataSource;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * One pass of the outbox relay, in plain Java (no CDI) so that it can also run in a separate
 * process for crash tests. A pass takes the oldest unsent rows in {@code seq} order, sends them
 * with an idempotent producer, waits for every acknowledgement, and only then marks them sent,
 * in one database transaction. A failure anywhere rolls the marks back: the rows are sent again
 * on the next pass (at least once; consumers de-duplicate by {@code ce_id}). A transaction-scoped
 * advisory lock lets one relay per database work at a time, which keeps per-key order when a
 * service runs several instances.
 */
public final class OutboxRelayCore implements AutoCloseable {

    /** Lock id of the relay in {@code pg_try_advisory_xact_lock}: any constant unique to Pledge. */
    static final long RELAY_LOCK = 0x706c65646765L; // "pledge"

    /**
     * @param batchSize      rows per pass
     * @param sendTimeout    how long to wait for the broker's acknowledgements of one pass
     * @param pauseAfterSend fault injection for crash tests only: sleep between the acks and the
     *                       marks, so that a test can kill the process there; zero in any real use
     */
    public record Settings(int batchSize, Duration sendTimeout, Duration pauseAfterSend) {
    }

    private static final String SELECT = """
            select seq, id, topic, message_key, ce_type, ce_source, ce_subject, ce_time, ce_dataschema, payload, ce_actor
              from pledge_outbox where sent_at is null order by seq limit ?""";
    private static final String MARK = "update pledge_outbox set sent_at = now() where seq = any(?)";

    private final DataSource dataSource;
    private final Supplier<Producer<String, byte[]>> producers;
    private final Settings settings;
    private Producer<String, byte[]> producer;

    public OutboxRelayCore(DataSource dataSource, Supplier<Producer<String, byte[]>> producers, Settings settings) {
        this.dataSource = dataSource;
        this.producers = producers;
        this.settings = settings;
    }

    /**
     * Relays one batch.
     *
     * @return the number of rows sent and marked; 0 when none waits or another relay holds the lock
     * @throws Exception when the database or the broker failed; nothing of this pass is marked
     */
    public int relayOnce() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!tryLock(c)) {
                    c.rollback();
                    return 0;
                }
                List<Row> rows = select(c);
                if (!rows.isEmpty()) {
                    send(rows);
                    if (!settings.pauseAfterSend().isZero()) {
                        Thread.sleep(settings.pauseAfterSend().toMillis());
                    }
                    mark(c, rows);
                }
                c.commit();
                return rows.size();
            } catch (Exception e) {
                rollbackQuietly(c);
                throw e;
            }
        }
    }

    private static boolean tryLock(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select pg_try_advisory_xact_lock(?)")) {
            ps.setLong(1, RELAY_LOCK);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getBoolean(1);
            }
        }
    }

    private List<Row> select(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(SELECT)) {
            ps.setInt(1, settings.batchSize());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Envelope env = new Envelope(rs.getString("id"), rs.getString("ce_type"), rs.getString("ce_source"),
                            rs.getString("ce_subject"), rs.getTimestamp("ce_time").toInstant(),
                            rs.getString("ce_dataschema"));
                    rows.add(new Row(rs.getLong("seq"), rs.getString("topic"), rs.getString("message_key"), env,
                            rs.getString("payload"), rs.getString("ce_actor")));
                }
            }
        }
        return rows;
    }

    private void send(List<Row> rows) throws Exception {
        if (producer == null) {
            producer = producers.get();
        }
        List<Future<RecordMetadata>> acks = new ArrayList<>(rows.size());
        try {
            for (Row r : rows) {
                org.apache.kafka.common.header.Headers headers = r.envelope().toHeaders();
                if (r.actor() != null) {
                    headers.add(CloudEventHeaders.ACTOR, r.actor().getBytes(StandardCharsets.UTF_8));
                }
                acks.add(producer.send(new ProducerRecord<>(r.topic(), null, r.key(),
                        r.payload().getBytes(StandardCharsets.UTF_8), headers)));
            }
            long deadline = System.nanoTime() + settings.sendTimeout().toNanos();
            for (Future<RecordMetadata> ack : acks) {
                ack.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            }
        } catch (Exception e) {
            // A producer that failed may hold a fenced epoch or half-sent batches: start afresh.
            closeProducer();
            throw e;
        }
    }

    private static void mark(Connection c, List<Row> rows) throws SQLException {
        Long[] seqs = rows.stream().map(Row::seq).toArray(Long[]::new);
        try (PreparedStatement ps = c.prepareStatement(MARK)) {
            Array array = c.createArrayOf("bigint", seqs);
            ps.setArray(1, array);
            ps.executeUpdate();
        }
    }

    private static void rollbackQuietly(Connection c) {
        try {
            c.rollback();
        } catch (SQLException ignored) {
            // the connection is broken; closing it ends the transaction anyway
        }
    }

    private void closeProducer() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException ignored) {
                // closing a failed producer may fail too; it is discarded either way
            }
            producer = null;
        }
    }

    @Override
    public void close() {
        if (producer != null) {
            producer.close(Duration.ofSeconds(5));
            producer = null;
        }
    }

    private record Row(long seq, String topic, String key, Envelope envelope, String payload, String actor) {
    }
}
