package io.pledge.audit.merkle;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.Ledger;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signed checkpoints: the Merkle root of entries [0, n), folded from the head's frontier under the head lock (so it
 * never rescans the ledger), signed with {@link CheckpointKeys} and stored. Also reads them back with the public keys
 * that signed them.
 */
@ApplicationScoped
@Transactional
public class Checkpoints {

    private static final String COLUMNS = "tree_size, root_hash, signed_at, key_id, signature";

    private final AgroalDataSource db;
    private final CheckpointKeys keys;

    public Checkpoints(AgroalDataSource db, CheckpointKeys keys) {
        this.db = db;
        this.keys = keys;
    }

    /** Signs a checkpoint of the whole ledger if it grew since the last one; returns the latest checkpoint. */
    public Optional<Checkpoint> checkpoint() {
        try (Connection c = db.getConnection()) {
            Ledger.Head head = Ledger.lockHead(c);
            Optional<Checkpoint> latest = latest(c);
            if (head.size() == 0 || latest.map(l -> l.treeSize() >= head.size()).orElse(false)) {
                return latest;
            }
            CheckpointKeys.Signer signer = keys.signer();
            registerKey(c, signer);
            Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
            byte[] root = head.frontier().root();
            byte[] signature = signer.sign(Checkpoint.statement(head.size(), root, now, signer.keyId()));
            Checkpoint cp = new Checkpoint(head.size(), root, now, signer.keyId(), signature);
            try (PreparedStatement ps = c.prepareStatement("insert into audit_checkpoint (" + COLUMNS
                    + ", frontier, last_hash) values (?, ?, ?, ?, ?, ?, ?)")) {
                ps.setLong(1, cp.treeSize());
                ps.setBytes(2, cp.rootHash());
                ps.setObject(3, Ledger.utc(cp.signedAt()));
                ps.setString(4, cp.keyId());
                ps.setBytes(5, cp.signature());
                ps.setBytes(6, head.frontier().toBytes());
                ps.setBytes(7, head.lastHash());
                ps.executeUpdate();
            }
            return Optional.of(cp);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot write a checkpoint", e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Checkpoint> all() {
        try (Connection c = db.getConnection()) {
            return all(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read checkpoints", e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Checkpoint> find(long treeSize) {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from audit_checkpoint where tree_size = ?")) {
            ps.setLong(1, treeSize);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(read(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read checkpoints", e);
        }
    }

    /**
     * Where a range starting at a checkpoint begins: the Merkle frontier after its last entry and that entry's hash.
     *
     * @param frontier the frontier of the first {@code treeSize} leaves
     * @param lastHash the hash of entry {@code treeSize - 1}
     */
    public record Anchor(Frontier frontier, byte[] lastHash) {
    }

    /** The anchor of a checkpoint, if it was stored (checkpoints signed before V2 have none); size 0 is the genesis. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Anchor> anchor(long treeSize) {
        if (treeSize == 0) {
            return Optional.of(new Anchor(Frontier.empty(), io.pledge.audit.ledger.EntryHasher.GENESIS));
        }
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select frontier, last_hash from audit_checkpoint where tree_size = ?"
                     + " and frontier is not null")) {
            ps.setLong(1, treeSize);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Anchor(Frontier.of(treeSize, rs.getBytes(1)), rs.getBytes(2)))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read checkpoints", e);
        }
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Checkpoint> latest() {
        try (Connection c = db.getConnection()) {
            return latest(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read checkpoints", e);
        }
    }

    /** Every public key that signed a checkpoint and every key in the key folder (current and retired), by key id. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, byte[]> publicKeys() {
        try (Connection c = db.getConnection()) {
            return publicKeys(c);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read signing keys", e);
        }
    }

    public static List<Checkpoint> all(Connection c) throws SQLException {
        List<Checkpoint> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS + " from audit_checkpoint order by tree_size");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
    }

    /** As {@link #publicKeys()}, on the caller's connection (and in its transaction, if any). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Map<String, byte[]> publicKeys(Connection c) throws SQLException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("select key_id, public_key from audit_signing_key order by first_used");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                out.put(rs.getString(1), rs.getBytes(2));
            }
        }
        keys.publicKeys().forEach(out::putIfAbsent);
        return out;
    }

    private static Optional<Checkpoint> latest(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + COLUMNS
                + " from audit_checkpoint order by tree_size desc limit 1"); ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(read(rs)) : Optional.empty();
        }
    }

    private static void registerKey(Connection c, CheckpointKeys.Signer signer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into audit_signing_key (key_id, algorithm, public_key) "
                + "values (?, ?, ?) on conflict (key_id) do nothing")) {
            ps.setString(1, signer.keyId());
            ps.setString(2, Signatures.ALGORITHM);
            ps.setBytes(3, signer.publicKeyDer());
            ps.executeUpdate();
        }
    }

    private static Checkpoint read(ResultSet rs) throws SQLException {
        return new Checkpoint(rs.getLong(1), rs.getBytes(2), rs.getObject(3, OffsetDateTime.class).toInstant(),
                rs.getString(4), rs.getBytes(5));
    }
}
