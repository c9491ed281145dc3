package io.pledge.audit.ledger;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.merkle.Frontier;
import io.pledge.audit.merkle.MerkleTree;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * The append-only ledger: the one writer of {@code audit_entry}. An append locks the head row, so appends from
 * every thread and instance are serialised; it skips events already recorded (by event id), chains the new ones
 * and advances the head and its Merkle frontier, all in the caller's transaction.
 */
@ApplicationScoped
public class Ledger {

    /** The columns of {@code audit_entry} in the order {@link #read(ResultSet)} expects. */
    public static final String COLUMNS = "seq, event_id, event_type, source, subject_id, event_time, dataschema, topic, "
            + "kafka_partition, kafka_offset, category, actor, recorded_at, body_sha256, body, redacted_at, prev_hash, "
            + "entry_hash, body_salt";

    private static final String INSERT = "insert into audit_entry (" + COLUMNS + ") values "
            + "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    private static final SecureRandom RANDOM = new SecureRandom();

    private final AgroalDataSource db;

    public Ledger(AgroalDataSource db) {
        this.db = db;
    }

    /** The head of the chain: its size, last entry hash and Merkle frontier. */
    public record Head(long size, byte[] lastHash, Frontier frontier) {
    }

    /**
     * Appends the events not recorded yet, in the given order; returns the entries written (duplicates, by event
     * id, within the batch or already in the ledger, are left out).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<AuditEntry> append(List<NewEntry> batch) {
        if (batch.isEmpty()) {
            return List.of();
        }
        try (Connection c = db.getConnection()) {
            Head head = lockHead(c);
            Set<String> known = existing(c, batch);
            long size = head.size();
            byte[] prev = head.lastHash();
            Frontier frontier = head.frontier();
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            List<AuditEntry> written = new ArrayList<>();
            try (PreparedStatement insert = c.prepareStatement(INSERT)) {
                for (NewEntry n : batch) {
                    if (!known.add(n.eventId())) {
                        continue;
                    }
                    byte[] salt = new byte[EntryHasher.SALT_LENGTH];
                    RANDOM.nextBytes(salt);
                    AuditEntry unhashed = new AuditEntry(size, n.eventId(), n.eventType(), n.source(), n.subjectId(),
                            n.eventTime().truncatedTo(ChronoUnit.MICROS), n.dataschema(), n.topic(), n.partition(),
                            n.offset(), n.category(), n.actor(), now, EntryHasher.bodyCommitment(salt, n.body()),
                            n.body(), null, prev, null, salt);
                    byte[] hash = EntryHasher.entryHash(unhashed);
                    AuditEntry e = withHash(unhashed, hash);
                    bind(insert, e);
                    insert.addBatch();
                    frontier.append(MerkleTree.leafHash(hash));
                    written.add(e);
                    prev = hash;
                    size++;
                }
                if (written.isEmpty()) {
                    return written;
                }
                insert.executeBatch();
            }
            try (PreparedStatement update = c.prepareStatement(
                    "update audit_head set size = ?, last_hash = ?, frontier = ? where id = 1")) {
                update.setLong(1, size);
                update.setBytes(2, prev);
                update.setBytes(3, frontier.toBytes());
                update.executeUpdate();
            }
            return written;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot append to the audit ledger", e);
        }
    }

    /** Locks and reads the head row; every append and checkpoint goes through here, one at a time. */
    public static Head lockHead(Connection c) throws SQLException {
        return head(c, " for update");
    }

    /** Reads the head row without locking it. */
    public static Head readHead(Connection c) throws SQLException {
        return head(c, "");
    }

    private static Head head(Connection c, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select size, last_hash, frontier from audit_head where id = 1" + lock);
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new IllegalStateException("audit_head has no row: the migration did not run");
            }
            long size = rs.getLong(1);
            return new Head(size, rs.getBytes(2), Frontier.of(size, rs.getBytes(3)));
        }
    }

    private static Set<String> existing(Connection c, List<NewEntry> batch) throws SQLException {
        Set<String> known = new HashSet<>();
        Array ids = c.createArrayOf("varchar", batch.stream().map(NewEntry::eventId).distinct().toArray());
        try (PreparedStatement ps = c.prepareStatement("select event_id from audit_entry where event_id = any(?)")) {
            ps.setArray(1, ids);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    known.add(rs.getString(1));
                }
            }
        }
        return known;
    }

    private static AuditEntry withHash(AuditEntry e, byte[] hash) {
        return new AuditEntry(e.seq(), e.eventId(), e.eventType(), e.source(), e.subjectId(), e.eventTime(),
                e.dataschema(), e.topic(), e.partition(), e.offset(), e.category(), e.actor(), e.recordedAt(),
                e.bodySha256(), e.body(), e.redactedAt(), e.prevHash(), hash, e.bodySalt());
    }

    /** Binds every column of an entry, in {@link #COLUMNS} order. */
    public static void bind(PreparedStatement ps, AuditEntry e) throws SQLException {
        ps.setLong(1, e.seq());
        ps.setString(2, e.eventId());
        ps.setString(3, e.eventType());
        ps.setString(4, e.source());
        ps.setObject(5, e.subjectId());
        ps.setObject(6, utc(e.eventTime()));
        ps.setString(7, e.dataschema());
        ps.setString(8, e.topic());
        ps.setInt(9, e.partition());
        ps.setLong(10, e.offset());
        ps.setString(11, e.category());
        ps.setString(12, e.actor());
        ps.setObject(13, utc(e.recordedAt()));
        ps.setBytes(14, e.bodySha256());
        ps.setString(15, e.body());
        ps.setObject(16, utc(e.redactedAt()));
        ps.setBytes(17, e.prevHash());
        ps.setBytes(18, e.entryHash());
        ps.setBytes(19, e.bodySalt());
    }

    /** Reads an entry selected with {@link #COLUMNS}. */
    public static AuditEntry read(ResultSet rs) throws SQLException {
        return new AuditEntry(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getObject(5, UUID.class), instant(rs, 6), rs.getString(7), rs.getString(8), rs.getInt(9),
                rs.getLong(10), rs.getString(11), rs.getString(12), instant(rs, 13), rs.getBytes(14), rs.getString(15),
                instant(rs, 16), rs.getBytes(17), rs.getBytes(18), rs.getBytes(19));
    }

    public static OffsetDateTime utc(Instant t) {
        return t == null ? null : OffsetDateTime.ofInstant(t, ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
