package io.pledge.audit.merkle;

import io.pledge.audit.ledger.EntryHasher;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A signed tree head: the Merkle root of entries [0, treeSize), when and with which key it was signed. Pure data,
 * shared with the offline bundle verifier.
 *
 * @param treeSize  number of entries covered
 * @param rootHash  {@link MerkleTree#root} of their leaf hashes
 * @param signedAt  when it was signed (microseconds)
 * @param keyId     {@link Signatures#keyId} of the signing public key
 * @param signature the signature over {@link #statement()}
 */
public record Checkpoint(long treeSize, byte[] rootHash, Instant signedAt, String keyId, byte[] signature) {

    /** The exact bytes that are signed. */
    public byte[] statement() {
        return statement(treeSize, rootHash, signedAt, keyId);
    }

    public static byte[] statement(long treeSize, byte[] rootHash, Instant signedAt, String keyId) {
        return ("pledge-audit-checkpoint/v1\n" + treeSize + "\n" + EntryHasher.hex(rootHash) + "\n" + signedAt + "\n"
                + keyId + "\n").getBytes(StandardCharsets.UTF_8);
    }
}
