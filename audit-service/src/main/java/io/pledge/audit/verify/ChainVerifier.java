package io.pledge.audit.verify;

import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.audit.merkle.Checkpoint;
import io.pledge.audit.merkle.Frontier;
import io.pledge.audit.merkle.MerkleTree;
import io.pledge.audit.merkle.Signatures;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Recomputes the hash chain entry by entry (in seq order) and the Merkle root at every checkpoint, and names the
 * first entry that is not what was recorded:
 * <ul>
 *   <li>{@code MISSING}: a seq is absent (a row was deleted);</li>
 *   <li>{@code INSERTED}: an entry the chain does not link (the next entry links over it) or beyond the head;</li>
 *   <li>{@code ALTERED}: an entry's content, seq (reordering) or body does not match its hash;</li>
 *   <li>{@code BROKEN_LINK}: an entry's previous hash is not its predecessor's hash;</li>
 *   <li>{@code TRUNCATED}: fewer entries than the head or a checkpoint says were recorded;</li>
 *   <li>{@code REWRITTEN}: the chain is self-consistent but a signed checkpoint's root no longer matches.</li>
 * </ul>
 * Streaming, constant memory (a Merkle frontier); pure code, also run by the offline bundle verifier.
 */
public final class ChainVerifier {

    private final List<Checkpoint> checkpoints;
    private final List<String> checkpointProblems = new ArrayList<>();
    private final Frontier frontier;
    private int nextCheckpoint;
    private long lastGoodCheckpoint;
    private final long startSize;
    private int checkpointsVerified;
    private long expected;
    private long entries;
    private long redacted;
    private byte[] prev = EntryHasher.GENESIS;
    private byte[] prevPrev;
    private Long firstBad;
    private String[] pendingRewrite;
    private String problem;
    private String detail;

    /**
     * @param checkpoints the signed checkpoints to hold the entries against
     * @param publicKeys  the public keys (X.509 DER) by key id that may have signed them
     */
    public ChainVerifier(List<Checkpoint> checkpoints, Map<String, byte[]> publicKeys) {
        this(checkpoints, publicKeys, Frontier.empty(), EntryHasher.GENESIS);
    }

    /**
     * Verifies a range that starts after the first {@code start.size()} entries: {@code start} is the Merkle frontier
     * there and {@code startPrev} the hash of the entry before. The frontier is not trusted: it must fold to the
     * signed root of the checkpoint of that size (which must be among {@code checkpoints}), and every later signed
     * root binds the entries that follow, their links included.
     */
    public ChainVerifier(List<Checkpoint> checkpoints, Map<String, byte[]> publicKeys, Frontier start, byte[] startPrev) {
        this.frontier = start;
        this.startSize = start.size();
        this.expected = start.size();
        this.prev = startPrev;
        this.checkpoints = new ArrayList<>(checkpoints);
        this.checkpoints.sort(Comparator.comparingLong(Checkpoint::treeSize));
        for (Checkpoint c : this.checkpoints) {
            byte[] key = publicKeys.get(c.keyId());
            if (key == null) {
                checkpointProblems.add("checkpoint " + c.treeSize() + ": signed by unknown key " + c.keyId());
            } else if (!Signatures.verify(key, c.statement(), c.signature())) {
                checkpointProblems.add("checkpoint " + c.treeSize() + ": signature does not verify");
            }
        }
        if (start.size() > 0 && this.checkpoints.stream().noneMatch(c -> c.treeSize() == start.size())) {
            checkpointProblems.add("checkpoint " + start.size() + ": the range starts there but it is not in the bundle");
        }
        checkCheckpointsAt(start.size());
        resolvePendingRewrite();
    }

    /** Feeds the next entry, in seq order. */
    public void accept(AuditEntry e) {
        entries++;
        if (e.body() == null) {
            redacted++;
        }
        if (firstBad == null) {
            check(e);
        }
        resolvePendingRewrite();
        byte[] stored = e.entryHash() != null && e.entryHash().length == EntryHasher.HASH_LENGTH
                ? e.entryHash() : new byte[EntryHasher.HASH_LENGTH];
        frontier.append(MerkleTree.leafHash(stored));
        prevPrev = prev;
        prev = stored;
        expected++;
        checkCheckpointsAt(frontier.size());
    }

    private void check(AuditEntry e) {
        if (e.seq() != expected) {
            if (e.seq() > expected) {
                found(expected, "MISSING", "no entry with seq " + expected + " (next is " + e.seq() + ")");
            } else {
                found(e.seq(), "INSERTED", "seq " + e.seq() + " appears twice");
            }
            return;
        }
        boolean contentOk;
        try {
            contentOk = EntryHasher.same(EntryHasher.entryHash(e), e.entryHash())
                    && (e.body() == null || EntryHasher.same(EntryHasher.bodyCommitment(e.bodySalt(), e.body()), e.bodySha256()));
        } catch (IllegalArgumentException malformed) {
            contentOk = false;
        }
        boolean linkOk = EntryHasher.same(e.prevHash(), prev);
        if (!linkOk && prevPrev != null && EntryHasher.same(e.prevHash(), prevPrev)) {
            found(expected - 1, "INSERTED", "entry " + (expected - 1) + " is not in the chain: entry " + expected
                    + " links to entry " + (expected - 2));
        } else if (!contentOk) {
            found(expected, "ALTERED", "entry " + expected + " does not match its hash (content, position or body changed)");
        } else if (!linkOk) {
            found(expected, "BROKEN_LINK", "entry " + expected + " does not link to entry " + (expected - 1));
        }
    }

    private void checkCheckpointsAt(long size) {
        while (nextCheckpoint < checkpoints.size() && checkpoints.get(nextCheckpoint).treeSize() <= size) {
            Checkpoint c = checkpoints.get(nextCheckpoint++);
            if (c.treeSize() < size) {
                continue; // only reachable for a checkpoint of size 0
            }
            if (EntryHasher.same(frontier.root(), c.rootHash())) {
                if (checkpointProblems.stream().noneMatch(p -> p.startsWith("checkpoint " + c.treeSize() + ":"))) {
                    checkpointsVerified++;
                }
                lastGoodCheckpoint = c.treeSize();
            } else {
                checkpointProblems.add("checkpoint " + c.treeSize() + ": root does not match the entries");
                if (firstBad == null && pendingRewrite == null) {
                    // held back one entry: the next entry's links may locate an insertion more precisely
                    pendingRewrite = new String[] {Long.toString(lastGoodCheckpoint), "entries from " + lastGoodCheckpoint
                            + " to " + (c.treeSize() - 1) + " were rewritten after checkpoint " + c.treeSize() + " was signed"};
                }
            }
        }
    }

    /**
     * Ends the run.
     *
     * @param headSize     the number of entries the ledger says it holds
     * @param headLastHash the hash of its last entry
     */
    public VerificationReport finish(long headSize, byte[] headLastHash) {
        resolvePendingRewrite();
        if (firstBad == null) {
            if (startSize + entries < headSize) {
                found(startSize + entries, "TRUNCATED", "the head records " + headSize + " entries; only "
                        + (startSize + entries) + " exist");
            } else if (startSize + entries > headSize) {
                found(headSize, "INSERTED", "entries exist beyond the head's " + headSize);
            } else if (!EntryHasher.same(prev, headLastHash)) {
                found(Math.max(0, startSize + entries - 1), "ALTERED", "the last entry is not the one the head records");
            }
        }
        for (int i = nextCheckpoint; i < checkpoints.size(); i++) {
            checkpointProblems.add("checkpoint " + checkpoints.get(i).treeSize() + ": covers entries that do not exist");
            if (firstBad == null) {
                found(startSize + entries, "TRUNCATED", "checkpoint " + checkpoints.get(i).treeSize()
                        + " covers entries that do not exist");
            }
        }
        boolean valid = firstBad == null && checkpointProblems.isEmpty();
        return new VerificationReport(valid, entries, checkpointsVerified, redacted, firstBad, problem, detail,
                List.copyOf(checkpointProblems), 1);
    }

    private void resolvePendingRewrite() {
        if (pendingRewrite != null && firstBad == null) {
            found(Long.parseLong(pendingRewrite[0]), "REWRITTEN", pendingRewrite[1]);
        }
        pendingRewrite = null;
    }

    private void found(long seq, String kind, String what) {
        firstBad = seq;
        problem = kind;
        detail = what;
    }
}
