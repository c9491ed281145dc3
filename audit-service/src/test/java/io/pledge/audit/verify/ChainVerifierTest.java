package io.pledge.audit.verify;

import static org.assertj.core.api.Assertions.assertThat;

import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.audit.merkle.Checkpoint;
import io.pledge.audit.merkle.Frontier;
import io.pledge.audit.merkle.MerkleTree;
import io.pledge.audit.merkle.Signatures;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pure logic: the verifier over an in-memory chain with a checkpoint after every entry (a throwaway EC key). */
class ChainVerifierTest {

    private final List<AuditEntry> chain = new ArrayList<>();
    private final List<Checkpoint> checkpoints = new ArrayList<>();
    private final List<byte[]> frontiers = new ArrayList<>();
    private KeyPair key;
    private String keyId;

    @BeforeEach
    void aChainOfTwenty() throws Exception {
        KeyPairGenerator gen = KeyPairGenerator.getInstance("EC");
        gen.initialize(new ECGenParameterSpec("secp256r1"));
        key = gen.generateKeyPair();
        keyId = Signatures.keyId(key.getPublic().getEncoded());
        byte[] prev = EntryHasher.GENESIS;
        Frontier f = Frontier.empty();
        frontiers.add(f.toBytes());
        for (int i = 0; i < 20; i++) {
            AuditEntry e = entry(i, "e-" + i, prev);
            chain.add(e);
            prev = e.entryHash();
            f.append(MerkleTree.leafHash(prev));
            frontiers.add(f.toBytes());
            checkpoints.add(sign(i + 1, f.root()));
        }
    }

    /** Entries 0 to 9 as recorded before migration V3 (plain SHA-256 of the body), from 10 with a salt. */
    private AuditEntry entry(long seq, String id, byte[] prev) {
        String body = "{\"n\":" + seq + "}";
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        byte[] salt = seq < 10 ? null : EntryHasher.sha256(id.getBytes());
        if (salt != null) {
            salt = java.util.Arrays.copyOf(salt, EntryHasher.SALT_LENGTH);
        }
        AuditEntry e = new AuditEntry(seq, id, "io.pledge.consent.ConsentGranted.v1", "/pledge/consent-service",
                UUID.nameUUIDFromBytes(id.getBytes()), t, null, "consent.events", 0, seq, "consent", "consent-service", t,
                EntryHasher.bodyCommitment(salt, body), body, null, prev, null, salt);
        return withSeqAndHash(e, seq, EntryHasher.entryHash(e));
    }

    private static AuditEntry withSeqAndHash(AuditEntry e, long seq, byte[] hash) {
        return new AuditEntry(seq, e.eventId(), e.eventType(), e.source(), e.subjectId(), e.eventTime(), e.dataschema(),
                e.topic(), e.partition(), e.offset(), e.category(), e.actor(), e.recordedAt(), e.bodySha256(), e.body(),
                e.redactedAt(), e.prevHash(), hash, e.bodySalt());
    }

    private Checkpoint sign(long size, byte[] root) {
        Instant t = Instant.parse("2026-11-29T10:00:00Z");
        return new Checkpoint(size, root, t, keyId, Signatures.sign(key.getPrivate(), Checkpoint.statement(size, root, t, keyId)));
    }

    private VerificationReport verify(List<AuditEntry> entries) {
        ChainVerifier v = new ChainVerifier(checkpoints, Map.of(keyId, key.getPublic().getEncoded()));
        entries.forEach(v::accept);
        return v.finish(20, chain.get(19).entryHash());
    }

    @Test
    void anIntactChainVerifies() {
        VerificationReport r = verify(chain);
        assertThat(r.valid()).isTrue();
        assertThat(r.checkpointsVerified()).isEqualTo(20);
    }

    @Test
    void removingBodiesAndSaltsOfOldAndSaltedEntriesKeepsTheChainAndEveryCheckpointValid() {
        List<AuditEntry> erased = new ArrayList<>(chain);
        for (int i : new int[] {3, 9, 10, 15}) {
            AuditEntry e = chain.get(i);
            erased.set(i, new AuditEntry(e.seq(), e.eventId(), e.eventType(), e.source(), e.subjectId(), e.eventTime(),
                    e.dataschema(), e.topic(), e.partition(), e.offset(), e.category(), e.actor(), e.recordedAt(),
                    e.bodySha256(), null, Instant.now(), e.prevHash(), e.entryHash(), null));
        }
        VerificationReport r = verify(erased);
        assertThat(r.valid()).isTrue();
        assertThat(r.checkpointsVerified()).isEqualTo(20);
        assertThat(r.redactedBodies()).isEqualTo(4);
        // a salted commitment is not the body's plain SHA-256: once the salt is gone a guess cannot be confirmed
        AuditEntry salted = chain.get(15);
        assertThat(salted.bodySha256()).isNotEqualTo(EntryHasher.bodyHash(salted.body()));
        assertThat(chain.get(3).bodySha256()).isEqualTo(EntryHasher.bodyHash(chain.get(3).body()));
    }

    @Test
    void aSaltedBodyOrItsSaltAlteredIsFound() {
        for (boolean alterSalt : new boolean[] {false, true}) {
            List<AuditEntry> tampered = new ArrayList<>(chain);
            AuditEntry e = chain.get(12);
            byte[] salt = e.bodySalt().clone();
            salt[0] ^= alterSalt ? 1 : 0;
            tampered.set(12, new AuditEntry(e.seq(), e.eventId(), e.eventType(), e.source(), e.subjectId(),
                    e.eventTime(), e.dataschema(), e.topic(), e.partition(), e.offset(), e.category(), e.actor(),
                    e.recordedAt(), e.bodySha256(), alterSalt ? e.body() : "{\"n\":99}", null, e.prevHash(),
                    e.entryHash(), salt));
            VerificationReport r = verify(tampered);
            assertThat(r.valid()).isFalse();
            assertThat(r.firstBadSeq()).isEqualTo(12L);
            assertThat(r.problem()).isEqualTo("ALTERED");
        }
    }

    @Test
    void anInsertionWithAValidHashIsLocatedEvenWhenACheckpointFollowsIt() {
        List<AuditEntry> tampered = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i == 10) {
                tampered.add(entry(10, "forged", chain.get(9).entryHash()));
            }
            AuditEntry e = chain.get(i);
            tampered.add(i < 10 ? e : withSeqAndHash(e, i + 1, e.entryHash()));
        }
        VerificationReport r = verify(tampered);
        assertThat(r.firstBadSeq()).isEqualTo(10);
        assertThat(r.problem()).isEqualTo("INSERTED");
    }

    @Test
    void aConsistentlyRewrittenTailIsCaughtByTheSignedRoots() {
        List<AuditEntry> rewritten = new ArrayList<>(chain.subList(0, 12));
        byte[] prev = chain.get(11).entryHash();
        for (int i = 12; i < 20; i++) {
            AuditEntry e = entry(i, "rewritten-" + i, prev);
            rewritten.add(e);
            prev = e.entryHash();
        }
        ChainVerifier v = new ChainVerifier(checkpoints, Map.of(keyId, key.getPublic().getEncoded()));
        rewritten.forEach(v::accept);
        VerificationReport r = v.finish(20, prev);
        assertThat(r.valid()).isFalse();
        assertThat(r.problem()).isEqualTo("REWRITTEN");
        assertThat(r.firstBadSeq()).isEqualTo(12);
    }

    @Test
    void aRangeStartsFromASignedFrontierAndAForgedFrontierFails() {
        ChainVerifier v = new ChainVerifier(checkpoints, Map.of(keyId, key.getPublic().getEncoded()),
                Frontier.of(8, frontiers.get(8)), chain.get(7).entryHash());
        chain.subList(8, 20).forEach(v::accept);
        assertThat(v.finish(20, chain.get(19).entryHash()).valid()).isTrue();

        byte[] forged = frontiers.get(8).clone();
        forged[0] ^= 1;
        ChainVerifier bad = new ChainVerifier(checkpoints, Map.of(keyId, key.getPublic().getEncoded()),
                Frontier.of(8, forged), chain.get(7).entryHash());
        chain.subList(8, 20).forEach(bad::accept);
        assertThat(bad.finish(20, chain.get(19).entryHash()).valid()).isFalse();
    }
}
