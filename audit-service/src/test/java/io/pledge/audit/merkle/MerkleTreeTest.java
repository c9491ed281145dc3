package io.pledge.audit.merkle;

import static org.assertj.core.api.Assertions.assertThat;

import io.pledge.audit.ledger.EntryHasher;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Pure logic: RFC 6962 tree hashes, audit paths and consistency proofs, and the frontier, checked exhaustively. */
class MerkleTreeTest {

    private static byte[][] leaves(int n) {
        byte[][] leaves = new byte[n][];
        for (int i = 0; i < n; i++) {
            leaves[i] = MerkleTree.leafHash(EntryHasher.sha256(ByteBuffer.allocate(4).putInt(i).array()));
        }
        return leaves;
    }

    @Test
    void rootsFollowRfc6962AndTheFrontierFoldsToTheSameRoot() {
        byte[][] l = leaves(70);
        assertThat(MerkleTree.root(l, 0, 1)).isEqualTo(l[0]);
        assertThat(MerkleTree.root(l, 0, 3)).isEqualTo(MerkleTree.nodeHash(MerkleTree.nodeHash(l[0], l[1]), l[2]));
        Frontier f = Frontier.empty();
        for (int n = 1; n <= l.length; n++) {
            f.append(l[n - 1]);
            assertThat(f.root()).as("size %d", n).isEqualTo(MerkleTree.root(l, 0, n));
            assertThat(Frontier.of(n, f.toBytes()).root()).isEqualTo(f.root());
        }
    }

    @Test
    void everyInclusionProofVerifiesAndATamperedOneDoesNot() {
        byte[][] l = leaves(40);
        for (int n = 1; n <= l.length; n++) {
            byte[] root = MerkleTree.root(l, 0, n);
            for (int i = 0; i < n; i++) {
                List<byte[]> path = MerkleTree.inclusionProof(l, i, n);
                assertThat(MerkleTree.verifyInclusion(i, n, l[i], path, root)).as("leaf %d of %d", i, n).isTrue();
                if (n > 1) {
                    assertThat(MerkleTree.verifyInclusion(i, n, l[(i + 1) % n], path, root)).isFalse();
                    List<byte[]> bad = new ArrayList<>(path);
                    bad.set(0, flip(bad.get(0)));
                    assertThat(MerkleTree.verifyInclusion(i, n, l[i], bad, root)).isFalse();
                }
            }
        }
    }

    @Test
    void everyConsistencyProofVerifiesAndATamperedOneDoesNot() {
        byte[][] l = leaves(40);
        for (int n = 1; n <= l.length; n++) {
            for (int m = 1; m <= n; m++) {
                byte[] a = MerkleTree.root(l, 0, m);
                byte[] b = MerkleTree.root(l, 0, n);
                List<byte[]> proof = MerkleTree.consistencyProof(l, m, n);
                assertThat(MerkleTree.verifyConsistency(m, n, a, b, proof)).as("%d to %d", m, n).isTrue();
                if (m < n) {
                    List<byte[]> bad = new ArrayList<>(proof);
                    bad.set(bad.size() - 1, flip(bad.get(bad.size() - 1)));
                    assertThat(MerkleTree.verifyConsistency(m, n, a, b, bad)).isFalse();
                    assertThat(MerkleTree.verifyConsistency(m, n, flip(a), b, proof)).isFalse();
                    assertThat(MerkleTree.verifyConsistency(m, n, a, flip(b), proof)).isFalse();
                }
            }
        }
    }

    private static byte[] flip(byte[] h) {
        byte[] c = h.clone();
        c[0] ^= 1;
        return c;
    }
}
