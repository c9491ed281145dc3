package io.pledge.rights.certificate;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.pledge.kit.crypto.KeyPairFiles;
import io.pledge.kit.crypto.SigningKeyRing;
import io.pledge.rights.config.RightsConfig;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A rotation of the certificate signing key as an operator does it (a new key added to the key folder and made
 * current): a certificate payload signed by the retired key still verifies, under the keyId it names, both in the
 * service and with the key published at {@code /v1/certificates/public-key}, which lists both keys; the next
 * signature names the new key. Real key files and HTTP, the service's real PostgreSQL and Kafka; nothing faked.
 * (ErasureLedgerTest covers the certificate that a completed erasure issues.)
 */
@QuarkusTest
class CertificateKeyRotationTest {

    @Inject
    CertificateKeys keys;

    @Inject
    RightsConfig config;

    @Test
    void aCertificateSignedWithARetiredKeyStillVerifiesAndThePublicKeyEndpointListsBoth() {
        byte[] payload = "{\"format\":\"pledge-erasure-certificate/v1\",\"requestId\":\"r-1\"}".getBytes(StandardCharsets.UTF_8);
        CertificateKeys.Signed before = keys.sign(payload);
        assertThat(before.keyId()).isEqualTo(keys.keyId());

        String newKid = SigningKeyRing.rotate(config.keyDir(), KeyPairFiles.Kind.EC_P256);
        keys.refresh();

        CertificateKeys.Signed after = keys.sign(payload);
        assertThat(after.keyId()).isEqualTo(newKid).isNotEqualTo(before.keyId());
        assertThat(keys.verify(before.keyId(), payload, before.signature())).isTrue();
        assertThat(keys.verify(after.keyId(), payload, after.signature())).isTrue();
        assertThat(keys.verify(newKid, payload, before.signature())).isFalse();

        JsonPath published = given().when().get("/v1/certificates/public-key").then().statusCode(200).extract().jsonPath();
        assertThat(published.getString("keyId")).isEqualTo(newKid);
        List<Map<String, Object>> all = published.getList("keys");
        assertThat(all).extracting(k -> k.get("keyId")).contains(before.keyId(), newKid).doesNotHaveDuplicates();
        for (CertificateKeys.Signed s : List.of(before, after)) {
            Map<String, Object> k = all.stream().filter(m -> m.get("keyId").equals(s.keyId())).findFirst().orElseThrow();
            assertThat(k.get("current")).isEqualTo(s == after);
            byte[] der = Base64.getDecoder().decode((String) k.get("der"));
            assertThat(CertificateKeys.keyId(der)).isEqualTo(s.keyId());
            assertThat(CertificateKeys.verify(der, payload, s.signature())).isTrue();
        }
    }
}
