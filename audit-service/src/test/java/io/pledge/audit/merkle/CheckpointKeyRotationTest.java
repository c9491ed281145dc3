package io.pledge.audit.merkle;

import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.officer;
import static io.pledge.audit.AuditTestSupport.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.config.AuditConfig;
import io.pledge.events.EventTypes;
import io.pledge.kit.crypto.KeyPairFiles;
import io.pledge.kit.crypto.SigningKeyRing;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rotation of the checkpoint signing key as an operator does it (a new key added to the key folder and made
 * current): the checkpoint signed before still verifies with the key its keyId names at {@code /v1/audit/public-key},
 * which lists the retired and the new key; the next checkpoint names the new key. Events go through the real Kafka
 * topic into the real PostgreSQL ledger; real key files; nothing faked.
 */
@QuarkusTest
class CheckpointKeyRotationTest {

    @Inject
    AgroalDataSource db;

    @Inject
    CheckpointKeys keys;

    @Inject
    AuditConfig config;

    @Test
    void aCheckpointSignedWithARetiredKeyStillVerifiesAndThePublicKeyEndpointListsBothKeys() {
        awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, example(EventTypes.CONSENT_GRANTED)).id());
        JsonPath before = checkpointNow();
        String oldKid = before.getString("keyId");

        String newKid = SigningKeyRing.rotate(config.keyDir(), KeyPairFiles.Kind.EC_P256);
        keys.refresh();
        awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, example(EventTypes.CONSENT_GRANTED)).id());
        JsonPath after = checkpointNow();
        assertThat(after.getString("keyId")).isEqualTo(newKid).isNotEqualTo(oldKid);

        JsonPath published = given().when().get("/v1/audit/public-key").then().statusCode(200).extract().jsonPath();
        assertThat(published.getString("keyId")).isEqualTo(newKid);
        List<Map<String, Object>> all = published.getList("keys");
        assertThat(all).extracting(k -> k.get("keyId")).contains(oldKid, newKid).doesNotHaveDuplicates();
        for (JsonPath cp : List.of(before, after)) {
            Map<String, Object> k = all.stream().filter(m -> m.get("keyId").equals(cp.getString("keyId"))).findFirst()
                    .orElseThrow();
            byte[] der = Base64.getDecoder().decode((String) k.get("publicKey"));
            assertThat(Signatures.keyId(der)).isEqualTo(cp.getString("keyId"));
            assertThat(Signatures.verify(der, cp.getString("statement").getBytes(StandardCharsets.UTF_8),
                    Base64.getDecoder().decode(cp.getString("signature")))).isTrue();
            assertThat(k.get("current")).isEqualTo(cp == after);
        }
    }

    private static JsonPath checkpointNow() {
        return given().auth().oauth2(officer()).when().post("/v1/audit/checkpoints").then().statusCode(200)
                .extract().jsonPath();
    }
}
