package io.pledge.e2e;

import static io.restassured.RestAssured.given;

import io.pledge.events.rights.CertificateVerifier;
import io.restassured.path.json.JsonPath;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Checks an erasure certificate as a third party would: with the public keys a rights-request-service
 * publishes ({@code /v1/certificates/public-key}, every key still verifying, current and retired), the
 * key named by the certificate's {@code keyId}, that id being the SHA-256 of the key, and the ECDSA
 * signature over the payload exactly as served; and every holder's own signed statement embedded in it, with the
 * holder keys the service publishes ({@code /v1/holders/keys}), through the offline {@link CertificateVerifier}.
 */
final class Certificates {

    private Certificates() {
    }

    /** Whether {@code cert} verifies with the key that {@code publicKeyUrl} publishes under the certificate's keyId. */
    static boolean verifies(String publicKeyUrl, JsonPath cert) throws Exception {
        List<Map<String, Object>> keys = given().when().get(publicKeyUrl).then().statusCode(200)
                .extract().jsonPath().getList("keys");
        String keyId = cert.getString("keyId");
        Map<String, Object> key = keys.stream().filter(k -> keyId.equals(k.get("keyId"))).findFirst().orElse(null);
        if (key == null) {
            return false;
        }
        byte[] der = Base64.getDecoder().decode((String) key.get("der"));
        String derived = Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
        if (!derived.equals(keyId)) {
            return false;
        }
        PublicKey pub = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
        Signature ecdsa = Signature.getInstance("SHA256withECDSA");
        ecdsa.initVerify(pub);
        ecdsa.update(cert.getString("payload").getBytes(StandardCharsets.UTF_8));
        if (!ecdsa.verify(Base64.getUrlDecoder().decode(cert.getString("signature")))) {
            return false;
        }
        // every holder's own signed statement, with the holder keys the same service publishes
        return holderProblems(publicKeyUrl, cert).isEmpty();
    }

    /**
     * What the offline verifier ({@link CertificateVerifier}) finds wrong with the certificate, Pledge's signature and
     * each embedded holder statement, using the keys published beside {@code publicKeyUrl}
     * ({@code .../v1/holders/keys}); empty when everything verifies.
     */
    static List<String> holderProblems(String publicKeyUrl, JsonPath cert) {
        List<Map<String, Object>> keys = given().when().get(publicKeyUrl).then().statusCode(200)
                .extract().jsonPath().getList("keys");
        Map<String, byte[]> pledge = new java.util.HashMap<>();
        keys.forEach(k -> pledge.put((String) k.get("keyId"), Base64.getDecoder().decode((String) k.get("der"))));
        String holderKeysUrl = publicKeyUrl.replace("/v1/certificates/public-key", "/v1/holders/keys");
        List<Map<String, Object>> holderKeys = given().when().get(holderKeysUrl).then().statusCode(200)
                .extract().jsonPath().getList("keys");
        return CertificateVerifier.verify(cert.getString("payload"), cert.getString("signature"), pledge, holderKeys)
                .problems();
    }

    /** The same against one instance of rights-request-service, by its port. */
    static boolean verifies(PledgeSystem.Service rights, JsonPath cert) throws Exception {
        return verifies(rights.url() + "/v1/certificates/public-key", cert);
    }
}
