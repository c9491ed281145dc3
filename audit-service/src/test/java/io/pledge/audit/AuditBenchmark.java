package io.pledge.audit;

import static io.pledge.audit.AuditTestSupport.count;
import static io.pledge.audit.AuditTestSupport.example;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.audit.merkle.Checkpoint;
import io.pledge.audit.merkle.CheckpointKeys;
import io.pledge.audit.merkle.Frontier;
import io.pledge.audit.merkle.MerkleTree;
import io.pledge.audit.merkle.Signatures;
import io.pledge.audit.verify.LedgerVerification;
import io.pledge.audit.verify.VerificationReport;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.Envelope;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;

/**
 * Measures, on the real broker and database: sustained ingest (events published to the real topics, recorded
 * hash-chained with checkpoints signed every 2 s) and the time to verify a ledger of 1,000,000 entries read from
 * PostgreSQL by the production verification code (entries generated directly into a scratch schema, dropped after;
 * each checkpoint stored with its anchor, the frontier and last hash, as the service stores them since migration V2).
 * Run: {@code mvn -B -ntp -o verify -pl audit-service -Dtest=AuditBenchmark -Dpledge.excluded.groups=
 * -Dsurefire.failIfNoSpecifiedTests=false} (add {@code -Daudit.bench.events=N -Daudit.bench.chain=N} to resize).
 */
@QuarkusTest
@Tag("benchmark")
class AuditBenchmark {

    @Inject
    AgroalDataSource db;

    @Inject
    LedgerVerification verification;

    @Inject
    CheckpointKeys keys;

    @Test
    void sustainedIngest() throws Exception {
        int n = Integer.getInteger("audit.bench.events", 50_000);
        String source = "/pledge/audit-bench-" + UUID.randomUUID().toString().substring(0, 8);
        long before = count(db, "select count(*) from audit_checkpoint");
        long sizeBefore = count(db, "select size from audit_head");
        // the events are built before the clock starts: it times the broker and the ledger, not the test's JSON
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(n);
        ObjectNode template = example(EventTypes.CONSENT_GRANTED);
        for (int i = 0; i < n; i++) {
            ObjectNode body = template.deepCopy();
            body.put("subjectId", UUID.randomUUID().toString());
            body.put("recordId", UUID.randomUUID().toString());
            Envelope env = new Envelope(UUID.randomUUID().toString(), EventTypes.CONSENT_GRANTED.type(), source,
                    body.get("subjectId").asText(), Instant.now(), EventTypes.CONSENT_GRANTED.dataschema());
            records.add(new ProducerRecord<>(EventTypes.CONSENT_GRANTED.topic(), null, env.subject(),
                    body.toString().getBytes(StandardCharsets.UTF_8), env.toHeaders()));
        }
        long start = System.nanoTime();
        List<Future<?>> acks = new ArrayList<>(n);
        for (ProducerRecord<String, byte[]> r : records) {
            acks.add(AuditTestSupport.producer().send(r));
        }
        for (Future<?> f : acks) {
            f.get();
        }
        double publishSeconds = (System.nanoTime() - start) / 1e9;
        long recordedWhilePublishing = count(db, "select size from audit_head") - sizeBefore;
        // the head's size (one row) tells the progress; counting by source would scan the ledger ten times a second
        while (count(db, "select size from audit_head") - sizeBefore < n) {
            Thread.sleep(50);
            assertThat(System.nanoTime() - start).isLessThan(Duration.ofMinutes(15).toNanos());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(count(db, "select count(*) from audit_entry where source = ?", source)).isEqualTo(n);
        long checkpoints = count(db, "select count(*) from audit_checkpoint") - before;
        System.out.printf("%nBENCH ingest: %,d events published in %.1f s (%.0f/s, %,d recorded meanwhile); recorded, chained"
                + " and checkpointed end to end in %.1f s = %.0f events/s; the backlog after publishing drained at %.0f"
                + " events/s (%d checkpoints signed meanwhile)%n", n, publishSeconds, n / publishSeconds,
                recordedWhilePublishing, seconds, n / seconds,
                (n - recordedWhilePublishing) / Math.max(1e-9, seconds - publishSeconds), checkpoints);
    }

    @Test
    void verifyOneMillionEntries() throws Exception {
        int n = Integer.getInteger("audit.bench.chain", 1_000_000);
        String schema = "audit_bench_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = db.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("create schema " + schema);
                for (String t : List.of("audit_entry", "audit_head", "audit_signing_key", "audit_checkpoint")) {
                    s.execute("create table " + schema + "." + t + " (like public." + t + " including all)");
                }
                s.execute("set search_path to " + schema);
            }
            try {
                long genStart = System.nanoTime();
                byte[] last = generate(c, n);
                double genSeconds = (System.nanoTime() - genStart) / 1e9;

                c.setAutoCommit(false);
                try (Statement s = c.createStatement()) {
                    s.execute("set transaction isolation level repeatable read, read only");
                }
                long start = System.nanoTime();
                VerificationReport report = verification.verify(c);
                double seconds = (System.nanoTime() - start) / 1e9;
                c.rollback();
                c.setAutoCommit(true);
                assertThat(report.valid()).isTrue();
                assertThat(report.entriesChecked()).isEqualTo(n);
                assertThat(last).isNotNull();
                System.out.printf("%nBENCH verify: %,d entries generated and loaded in %.1f s; verified (chain + %d signed"
                        + " checkpoints, %d segment(s) at once) from PostgreSQL in %.1f s = %.0f entries/s%n", n, genSeconds,
                        report.checkpointsVerified(), report.segments(), seconds, n / seconds);
            } finally {
                if (!c.getAutoCommit()) {
                    c.rollback();
                    c.setAutoCommit(true);
                }
                try (Statement s = c.createStatement()) {
                    s.execute("set search_path to public");
                    s.execute("drop schema " + schema + " cascade");
                }
            }
        }
    }

    /** Writes a valid chain of n entries, with a signed checkpoint every 100,000, through COPY. */
    private byte[] generate(Connection c, int n) throws Exception {
        var copy = c.unwrap(PGConnection.class).getCopyAPI();
        String body = example(EventTypes.CONSENT_GRANTED).toString();
        // every entry salted, as the ledger records them since migration V3, so verification pays for the salt
        java.security.SecureRandom random = new java.security.SecureRandom();
        byte[] salt = new byte[EntryHasher.SALT_LENGTH];
        String bodyCopy = body.replace("\\", "\\\\");
        byte[] prev = EntryHasher.GENESIS;
        Frontier frontier = Frontier.empty();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Checkpoint> checkpoints = new ArrayList<>();
        List<byte[][]> anchors = new ArrayList<>(); // frontier and last hash at each checkpoint, stored as the service does
        StringBuilder chunk = new StringBuilder();
        for (int i = 0; i < n; i++) {
            random.nextBytes(salt);
            byte[] bodyHash = EntryHasher.bodyCommitment(salt, body);
            AuditEntry e = new AuditEntry(i, "bench-" + i, EventTypes.CONSENT_GRANTED.type(), "/pledge/consent-service",
                    UUID.randomUUID(), now, EventTypes.CONSENT_GRANTED.dataschema(), "consent.events", i % 6, i / 6,
                    "consent", "consent-service", now, bodyHash, body, null, prev, null, salt);
            byte[] hash = EntryHasher.entryHash(e);
            chunk.append(i).append('\t').append(e.eventId()).append('\t').append(e.eventType()).append('\t')
                    .append(e.source()).append('\t').append(e.subjectId()).append('\t').append(now).append('\t')
                    .append(e.dataschema()).append('\t').append(e.topic()).append('\t').append(e.partition()).append('\t')
                    .append(e.offset()).append('\t').append(e.category()).append('\t').append(e.actor()).append('\t')
                    .append(now).append("\t\\\\x").append(EntryHasher.hex(bodyHash)).append('\t').append(bodyCopy)
                    .append("\t\\N\t\\\\x").append(EntryHasher.hex(prev)).append("\t\\\\x").append(EntryHasher.hex(hash))
                    .append("\t\\\\x").append(EntryHasher.hex(salt)).append('\n');
            frontier.append(MerkleTree.leafHash(hash));
            prev = hash;
            if ((i + 1) % 100_000 == 0) {
                byte[] root = frontier.root();
                checkpoints.add(new Checkpoint(i + 1, root, now, keys.keyId(),
                        keys.sign(Checkpoint.statement(i + 1, root, now, keys.keyId()))));
                anchors.add(new byte[][] {frontier.toBytes(), hash});
            }
            if (chunk.length() > 8_000_000 || i == n - 1) {
                copy.copyIn("copy audit_entry (seq, event_id, event_type, source, subject_id, event_time, dataschema, "
                        + "topic, kafka_partition, kafka_offset, category, actor, recorded_at, body_sha256, body, "
                        + "redacted_at, prev_hash, entry_hash, body_salt) from stdin", new StringReader(chunk.toString()));
                chunk.setLength(0);
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into audit_head values (1, ?, ?, ?)")) {
            ps.setLong(1, n);
            ps.setBytes(2, prev);
            ps.setBytes(3, frontier.toBytes());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("insert into audit_signing_key (key_id, algorithm, public_key) values (?, ?, ?)")) {
            ps.setString(1, keys.keyId());
            ps.setString(2, Signatures.ALGORITHM);
            ps.setBytes(3, keys.publicKeyDer());
            ps.executeUpdate();
        }
        for (int k = 0; k < checkpoints.size(); k++) {
            Checkpoint cp = checkpoints.get(k);
            try (PreparedStatement ps = c.prepareStatement("insert into audit_checkpoint (tree_size, root_hash, signed_at, "
                    + "key_id, signature, frontier, last_hash) values (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, cp.treeSize());
                ps.setBytes(2, cp.rootHash());
                ps.setObject(3, io.pledge.audit.ledger.Ledger.utc(cp.signedAt()));
                ps.setString(4, cp.keyId());
                ps.setBytes(5, cp.signature());
                ps.setBytes(6, anchors.get(k)[0]);
                ps.setBytes(7, anchors.get(k)[1]);
                ps.executeUpdate();
            }
        }
        return prev;
    }
}
