package io.pledge.audit.merkle;

import io.pledge.audit.ledger.EntryHasher;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a growing Merkle tree: the roots of its perfect subtrees, one per set bit of the size, largest
 * first. Appending a leaf is O(log n) and the RFC 6962 root of all leaves so far is folded from it in O(log n), so
 * checkpoints never rescan the ledger. Pure code.
 */
public final class Frontier {

    private long size;
    private final List<byte[]> roots;

    private Frontier(long size, List<byte[]> roots) {
        this.size = size;
        this.roots = roots;
    }

    public static Frontier empty() {
        return new Frontier(0, new ArrayList<>());
    }

    /** Reads a frontier stored by {@link #toBytes()} for a tree of {@code size} leaves. */
    public static Frontier of(long size, byte[] stored) {
        int count = Long.bitCount(size);
        if (stored.length != count * EntryHasher.HASH_LENGTH) {
            throw new IllegalStateException("stored frontier does not match the tree size");
        }
        List<byte[]> roots = new ArrayList<>(count);
        ByteBuffer in = ByteBuffer.wrap(stored);
        for (int i = 0; i < count; i++) {
            byte[] h = new byte[EntryHasher.HASH_LENGTH];
            in.get(h);
            roots.add(h);
        }
        return new Frontier(size, roots);
    }

    public long size() {
        return size;
    }

    /** Adds the next leaf (a leaf hash, see {@link MerkleTree#leafHash}). */
    public void append(byte[] leafHash) {
        byte[] h = leafHash;
        long k = size;
        while ((k & 1) == 1) {
            h = MerkleTree.nodeHash(roots.remove(roots.size() - 1), h);
            k >>= 1;
        }
        roots.add(h);
        size++;
    }

    /** MTH of every leaf appended so far. */
    public byte[] root() {
        if (roots.isEmpty()) {
            return MerkleTree.emptyRoot();
        }
        byte[] r = roots.get(roots.size() - 1);
        for (int i = roots.size() - 2; i >= 0; i--) {
            r = MerkleTree.nodeHash(roots.get(i), r);
        }
        return r;
    }

    public byte[] toBytes() {
        ByteBuffer out = ByteBuffer.allocate(roots.size() * EntryHasher.HASH_LENGTH);
        roots.forEach(out::put);
        return out.array();
    }
}
