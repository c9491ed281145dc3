package io.pledge.e2e;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Signs RS256 JWTs (RFC 7515 compact form) with a private key read from disk, so the whole-system
 * tests can act with account-service's own key without any JWT library or test backdoor.
 */
final class Tokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    /**
     * A token signed with the e2e account-service's own generated key, under the kid its JWKS
     * publishes: what account-service itself would issue.
     */
    static String fromAccountService(String subject, List<String> roles) throws Exception {
        String kid = io.restassured.RestAssured.given().baseUri(PledgeSystem.ACCOUNT.url())
                .when().get("/.well-known/jwks.json").then().statusCode(200).extract().path("keys[0].kid");
        PrivateKey key = readPkcs8(PledgeSystem.dataDir().resolve(Path.of("account-service", "jwt", "signing-key.pem")));
        return sign(key, kid, ISSUER, subject, roles, 300);
    }

    static final String ISSUER = "https://pledge.local/account-service";

    static PrivateKey readPkcs8(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    static String sign(PrivateKey key, String kid, String issuer, String subject, List<String> groups, long ttlSeconds)
            throws GeneralSecurityException {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"iat\":" + now + ",\"exp\":"
                + (now + ttlSeconds) + ",\"groups\":["
                + groups.stream().map(g -> "\"" + g + "\"").collect(Collectors.joining(",")) + "]}";
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(rsa.sign());
    }
}
