package io.pledge.e2e;

import static io.restassured.RestAssured.given;

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
 * signature over the payload exactly as served.
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
        return ecdsa.verify(Base64.getUrlDecoder().decode(cert.getString("signature")));
    }

    /** The same against one instance of rights-request-service, by its port. */
    static boolean verifies(PledgeSystem.Service rights, JsonPath cert) throws Exception {
        return verifies(rights.url() + "/v1/certificates/public-key", cert);
    }
}
