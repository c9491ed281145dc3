package io.pledge.audit.merkle;

import io.pledge.audit.ledger.EntryHasher;
import java.time.Instant;
import java.util.Base64;

/** A checkpoint as the API shows it: hashes in hex, the signature in base64, and the exact statement signed. */
public record CheckpointView(long treeSize, String rootHash, Instant signedAt, String keyId, String algorithm,
                             String signature, String statement) {

    public static CheckpointView of(Checkpoint c) {
        return new CheckpointView(c.treeSize(), EntryHasher.hex(c.rootHash()), c.signedAt(), c.keyId(),
                Signatures.ALGORITHM, Base64.getEncoder().encodeToString(c.signature()),
                new String(c.statement(), java.nio.charset.StandardCharsets.UTF_8));
    }

    public Checkpoint toCheckpoint() {
        return new Checkpoint(treeSize, EntryHasher.unhex(rootHash), signedAt, keyId, Base64.getDecoder().decode(signature));
    }
}
