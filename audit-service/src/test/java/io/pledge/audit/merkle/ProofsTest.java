package io.pledge.audit.merkle;

import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.officer;
import static io.pledge.audit.AuditTestSupport.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.events.EventTypes;
import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Inclusion and consistency proofs served by the running service over the real ledger, verified here as a client
 * would: with the published public key and {@link MerkleTree}'s RFC 9162 verification; tampered proofs fail.
 */
@QuarkusTest
@Tag("clause-5.2")
class ProofsTest {

    @Inject
    AgroalDataSource db;

    @Test
    void anEntryIsProvenIncludedInASignedCheckpointAndASubjectMayAskForTheirOwn() {
        AuditEntry e = awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, example(EventTypes.CONSENT_GRANTED)).id());
        JsonPath cp = checkpointNow();
        byte[] publicKey = Base64.getDecoder().decode(given().when().get("/v1/audit/public-key").then().statusCode(200)
                .extract().jsonPath().getString("publicKey"));
        assertThat(Signatures.verify(publicKey, cp.getString("statement").getBytes(StandardCharsets.UTF_8),
                Base64.getDecoder().decode(cp.getString("signature")))).isTrue();

        JsonPath proof = given().auth().oauth2(TestTokens.subject(e.subjectId()))
                .queryParam("seq", e.seq()).queryParam("treeSize", cp.getLong("treeSize"))
                .when().get("/v1/audit/proofs/inclusion").then().statusCode(200).extract().jsonPath();
        byte[] root = EntryHasher.unhex(proof.getString("checkpoint.rootHash"));
        List<byte[]> path = hexes(proof.getList("auditPath", String.class));
        assertThat(proof.getString("entryHash")).isEqualTo(EntryHasher.hex(e.entryHash()));
        byte[] leaf = MerkleTree.leafHash(e.entryHash());
        assertThat(MerkleTree.verifyInclusion(e.seq(), cp.getLong("treeSize"), leaf, path, root)).isTrue();

        List<byte[]> tampered = new ArrayList<>(path);
        tampered.set(0, flip(tampered.get(0)));
        assertThat(MerkleTree.verifyInclusion(e.seq(), cp.getLong("treeSize"), leaf, tampered, root)).isFalse();
        byte[] alteredEntry = flip(e.entryHash());
        assertThat(MerkleTree.verifyInclusion(e.seq(), cp.getLong("treeSize"), MerkleTree.leafHash(alteredEntry), path, root))
                .isFalse();

        given().auth().oauth2(TestTokens.subject(UUID.randomUUID())).queryParam("seq", e.seq())
                .when().get("/v1/audit/proofs/inclusion").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(officer()).queryParam("seq", "x").when().get("/v1/audit/proofs/inclusion").then()
                .statusCode(400).contentType("application/problem+json");
    }

    @Test
    void anOlderCheckpointIsProvenAPrefixOfANewerOne() {
        awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, example(EventTypes.CONSENT_GRANTED)).id());
        JsonPath first = checkpointNow();
        awaitRecorded(db, publish(EventTypes.CONSENT_WITHDRAWN, example(EventTypes.CONSENT_WITHDRAWN)).id());
        awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, example(EventTypes.CONSENT_GRANTED)).id());
        JsonPath second = checkpointNow();
        long m = first.getLong("treeSize");
        long n = second.getLong("treeSize");
        assertThat(n).isGreaterThan(m);

        JsonPath proof = given().auth().oauth2(TestTokens.subject(UUID.randomUUID()))
                .queryParam("first", m).queryParam("second", n)
                .when().get("/v1/audit/proofs/consistency").then().statusCode(200).extract().jsonPath();
        byte[] a = EntryHasher.unhex(first.getString("rootHash"));
        byte[] b = EntryHasher.unhex(second.getString("rootHash"));
        List<byte[]> p = hexes(proof.getList("proof", String.class));
        assertThat(MerkleTree.verifyConsistency(m, n, a, b, p)).isTrue();
        List<byte[]> tampered = new ArrayList<>(p);
        tampered.set(tampered.size() - 1, flip(tampered.get(tampered.size() - 1)));
        assertThat(MerkleTree.verifyConsistency(m, n, a, b, tampered)).isFalse();
        assertThat(MerkleTree.verifyConsistency(m, n, flip(a), b, p)).isFalse();

        given().auth().oauth2(officer()).queryParam("first", n).queryParam("second", m)
                .when().get("/v1/audit/proofs/consistency").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(officer()).queryParam("first", 1).queryParam("second", n + 1_000_000)
                .when().get("/v1/audit/proofs/consistency").then().statusCode(404).contentType("application/problem+json");
    }

    private static JsonPath checkpointNow() {
        return given().auth().oauth2(officer()).when().post("/v1/audit/checkpoints").then().statusCode(200)
                .extract().jsonPath();
    }

    private static List<byte[]> hexes(List<String> hex) {
        return hex.stream().map(EntryHasher::unhex).toList();
    }

    private static byte[] flip(byte[] h) {
        byte[] c = h.clone();
        c[0] ^= 1;
        return c;
    }
}
