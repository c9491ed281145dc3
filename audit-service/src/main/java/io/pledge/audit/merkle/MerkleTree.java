package io.pledge.audit.merkle;

import io.pledge.audit.ledger.EntryHasher;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Merkle tree hashes, inclusion and consistency proofs in the shape of RFC 6962 / RFC 9162 (Certificate
 * Transparency): leaf = SHA-256(0x00 || entry hash), node = SHA-256(0x01 || left || right), a tree of n leaves
 * split at the largest power of two below n. Pure code, also run by the offline bundle verifier.
 */
public final class MerkleTree {

    private MerkleTree() {
    }

    /** The leaf hash of an entry. */
    public static byte[] leafHash(byte[] entryHash) {
        MessageDigest d = EntryHasher.reusedDigest();
        d.update((byte) 0);
        d.update(entryHash);
        return d.digest();
    }

    /** The hash of an interior node. */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = EntryHasher.reusedDigest();
        d.update((byte) 1);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** The root of the empty tree: SHA-256 of nothing. */
    public static byte[] emptyRoot() {
        return EntryHasher.sha256(new byte[0]);
    }

    /** MTH(D[from:to]) over leaf hashes. */
    public static byte[] root(byte[][] leaves, int from, int to) {
        int n = to - from;
        if (n == 0) {
            return emptyRoot();
        }
        if (n == 1) {
            return leaves[from];
        }
        int k = largestPowerOfTwoBelow(n);
        return nodeHash(root(leaves, from, from + k), root(leaves, from + k, to));
    }

    /** The audit path of leaf {@code index} in the tree of the first {@code size} leaves (RFC 6962 2.1.1). */
    public static List<byte[]> inclusionProof(byte[][] leaves, int index, int size) {
        if (index < 0 || index >= size || size > leaves.length) {
            throw new IllegalArgumentException("leaf index outside the tree");
        }
        List<byte[]> path = new ArrayList<>();
        path(leaves, index, 0, size, path);
        return path;
    }

    private static void path(byte[][] leaves, int m, int from, int to, List<byte[]> out) {
        int n = to - from;
        if (n <= 1) {
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m < k) {
            path(leaves, m, from, from + k, out);
            out.add(root(leaves, from + k, to));
        } else {
            path(leaves, m - k, from + k, to, out);
            out.add(root(leaves, from, from + k));
        }
    }

    /** The consistency proof between the trees of the first {@code first} and {@code second} leaves (RFC 6962 2.1.2). */
    public static List<byte[]> consistencyProof(byte[][] leaves, int first, int second) {
        if (first <= 0 || first > second || second > leaves.length) {
            throw new IllegalArgumentException("tree sizes must satisfy 0 < first <= second");
        }
        List<byte[]> proof = new ArrayList<>();
        if (first < second) {
            subproof(leaves, first, 0, second, true, proof);
        }
        return proof;
    }

    private static void subproof(byte[][] leaves, int m, int from, int to, boolean complete, List<byte[]> out) {
        int n = to - from;
        if (m == n) {
            if (!complete) {
                out.add(root(leaves, from, to));
            }
            return;
        }
        int k = largestPowerOfTwoBelow(n);
        if (m <= k) {
            subproof(leaves, m, from, from + k, complete, out);
            out.add(root(leaves, from + k, to));
        } else {
            subproof(leaves, m - k, from + k, to, false, out);
            out.add(root(leaves, from, from + k));
        }
    }

    /** Verifies an audit path (RFC 9162 2.1.3.2). */
    public static boolean verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> path, byte[] root) {
        if (index < 0 || index >= size) {
            return false;
        }
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : path) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(r, root);
    }

    /** Verifies a consistency proof (RFC 9162 2.1.4.2). */
    public static boolean verifyConsistency(long first, long second, byte[] firstRoot, byte[] secondRoot,
                                            List<byte[]> proof) {
        if (first <= 0 || first > second) {
            return false;
        }
        if (first == second) {
            return proof.isEmpty() && Arrays.equals(firstRoot, secondRoot);
        }
        if (proof.isEmpty()) {
            return false;
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(first) == 1) {
            path.add(0, firstRoot);
        }
        long fn = first - 1;
        long sn = second - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (byte[] c : path.subList(1, path.size())) {
            if (sn == 0) {
                return false;
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0) {
                    fn >>= 1;
                    sn >>= 1;
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        return sn == 0 && Arrays.equals(fr, firstRoot) && Arrays.equals(sr, secondRoot);
    }

    static int largestPowerOfTwoBelow(int n) {
        return Integer.highestOneBit(n - 1);
    }
}
