package io.pledge.audit.merkle;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.UUID;

/**
 * Inclusion proofs (one entry against a signed checkpoint) and consistency proofs (an older checkpoint is a prefix
 * of a newer one), computed from the stored entry hashes: an entry altered since the checkpoint was signed yields a
 * proof that does not verify. O(n) in the checkpoint's size (the leaf hashes are read once).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.SUPPORTS)
public class Proofs {

    /** Largest tree a proof is computed for in memory (32 bytes per leaf). */
    static final long MAX_TREE = 20_000_000;

    private final AgroalDataSource db;
    private final Checkpoints checkpoints;

    public Proofs(AgroalDataSource db, Checkpoints checkpoints) {
        this.db = db;
        this.checkpoints = checkpoints;
    }

    /**
     * An entry's audit path against a checkpoint.
     *
     * @param subjectId the entry's subject, for the caller's access check
     */
    public record Inclusion(long seq, UUID subjectId, byte[] entryHash, byte[] leafHash, List<byte[]> path,
                            Checkpoint checkpoint) {
    }

    public record Consistency(Checkpoint first, Checkpoint second, List<byte[]> proof) {
    }

    /** @param treeSize a checkpoint's size, or null for the latest checkpoint */
    public Inclusion inclusion(long seq, Long treeSize) {
        Checkpoint cp = checkpoint(treeSize, "treeSize");
        if (seq < 0 || seq >= cp.treeSize()) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "seq must be inside the checkpoint's tree", "seq");
        }
        byte[][] leaves = leaves(cp.treeSize());
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select subject_id, entry_hash from audit_entry where seq = ?")) {
            ps.setLong(1, seq);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new ProblemException(ProblemType.NOT_FOUND, "no entry with that seq");
                }
                return new Inclusion(seq, rs.getObject(1, UUID.class), rs.getBytes(2), leaves[(int) seq],
                        MerkleTree.inclusionProof(leaves, (int) seq, (int) cp.treeSize()), cp);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger", e);
        }
    }

    public Consistency consistency(long first, long second) {
        if (first <= 0 || first > second) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "first must be positive and not above second", "first");
        }
        Checkpoint a = checkpoint(first, "first");
        Checkpoint b = checkpoint(second, "second");
        byte[][] leaves = leaves(b.treeSize());
        return new Consistency(a, b, MerkleTree.consistencyProof(leaves, (int) a.treeSize(), (int) b.treeSize()));
    }

    private Checkpoint checkpoint(Long treeSize, String field) {
        if (treeSize == null) {
            return checkpoints.latest().orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "no checkpoint yet"));
        }
        return checkpoints.find(treeSize).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "no checkpoint of that tree size", field));
    }

    private byte[][] leaves(long size) {
        if (size > MAX_TREE) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "tree too large for an in-memory proof");
        }
        byte[][] leaves = new byte[(int) size][];
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select seq, entry_hash from audit_entry where seq < ? order by seq")) {
            ps.setLong(1, size);
            ps.setFetchSize(10_000);
            try (ResultSet rs = ps.executeQuery()) {
                int i = 0;
                while (rs.next()) {
                    if (i >= size || rs.getLong(1) != i) {
                        throw new ProblemException(ProblemType.CONFLICT,
                                "the ledger has a gap or an extra entry at seq " + i + ": run the verification");
                    }
                    byte[] h = rs.getBytes(2);
                    leaves[i++] = MerkleTree.leafHash(h == null ? EntryHasher.GENESIS : h);
                }
                if (i != size) {
                    throw new ProblemException(ProblemType.CONFLICT, "the ledger is shorter than the checkpoint: run the verification");
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the ledger", e);
        }
        return leaves;
    }
}
