package io.pledge.audit.export;

import io.pledge.audit.ledger.EntryHasher;
import io.pledge.audit.merkle.Checkpoint;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;

/**
 * What a regulator bundle's signature covers: the format, tree size and time of the bundle, every entry's hash in
 * order (each entry's content is bound by its hash, which the verifier recomputes), every checkpoint's signed
 * statement and signature, and every public key. Pure code, shared by the exporter and {@link VerifyBundle}.
 */
public final class BundleDigest {

    public static final String FORMAT = "pledge-audit-bundle/v1";

    private final MessageDigest digest = EntryHasher.digest();

    /**
     * @param from          the first entry's seq (a checkpoint's size, or 0)
     * @param treeSize      one past the last entry's seq (a checkpoint's size)
     * @param generatedAt   when the bundle was made
     * @param startPrev     the hash of entry {@code from - 1} (zeros for 0)
     * @param startFrontier the Merkle frontier after {@code from} entries ({@link io.pledge.audit.merkle.Frontier#toBytes()})
     */
    public BundleDigest(long from, long treeSize, Instant generatedAt, byte[] startPrev, byte[] startFrontier) {
        text(FORMAT + "\n" + from + "\n" + treeSize + "\n" + generatedAt + "\n");
        bytes(startPrev);
        bytes(startFrontier);
    }

    public void entry(byte[] entryHash) {
        digest.update((byte) 'E');
        digest.update(entryHash);
    }

    public void checkpoint(Checkpoint c) {
        digest.update((byte) 'C');
        bytes(c.statement());
        bytes(c.signature());
    }

    public void publicKey(String keyId, byte[] der) {
        digest.update((byte) 'K');
        bytes(keyId.getBytes(StandardCharsets.UTF_8));
        bytes(der);
    }

    public byte[] finish() {
        return digest.digest();
    }

    private void text(String s) {
        bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    private void bytes(byte[] b) {
        digest.update(ByteBuffer.allocate(4).putInt(b.length).array());
        digest.update(b);
    }
}
