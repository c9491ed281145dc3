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
 * tests can act with account-service's own key without any JWT library or test backdoor. The claims are
 * account-service's: subject and staff tokens carry the audience {@value #PUBLIC_AUDIENCE}; a client token
 * (role {@code holder}) names one service and carries scopes ({@link #client}).
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
        if (roles.contains("holder")) {
            throw new IllegalArgumentException("a client token names its audience and scopes: use Tokens.client");
        }
        return signed(subject, roles, List.of(PUBLIC_AUDIENCE), List.of());
    }

    /**
     * A client token of {@code client} meant for {@code audience} with exactly these scopes, signed like
     * {@link #fromAccountService}: what account-service issues a client whose grants are those.
     */
    static String client(String client, String audience, List<String> scopes) throws Exception {
        return signed(client, List.of("holder"), List.of(audience), scopes);
    }

    private static String signed(String subject, List<String> roles, List<String> audiences, List<String> scopes)
            throws Exception {
        String kid = io.restassured.RestAssured.given().baseUri(PledgeSystem.ACCOUNT.url())
                .when().get("/.well-known/jwks.json").then().statusCode(200).extract().path("keys[0].kid");
        PrivateKey key = readPkcs8(PledgeSystem.dataDir().resolve(Path.of("account-service", "jwt", "signing-key.pem")));
        return sign(key, kid, ISSUER, subject, roles, audiences, scopes, 300);
    }

    static final String ISSUER = "https://pledge.local/account-service";
    static final String PUBLIC_AUDIENCE = "pledge-api";

    static PrivateKey readPkcs8(Path pem) throws Exception {
        String body = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    }

    static String sign(PrivateKey key, String kid, String issuer, String subject, List<String> groups, long ttlSeconds)
            throws GeneralSecurityException {
        return sign(key, kid, issuer, subject, groups, List.of(PUBLIC_AUDIENCE), List.of(), ttlSeconds);
    }

    static String sign(PrivateKey key, String kid, String issuer, String subject, List<String> groups,
                       List<String> audiences, List<String> scopes, long ttlSeconds) throws GeneralSecurityException {
        long now = System.currentTimeMillis() / 1000;
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\",\"kid\":\"" + kid + "\"}";
        String claims = "{\"iss\":\"" + issuer + "\",\"sub\":\"" + subject + "\",\"iat\":" + now + ",\"exp\":"
                + (now + ttlSeconds) + ",\"aud\":[" + quoted(audiences) + "]"
                + (scopes.isEmpty() ? "" : ",\"scope\":\"" + String.join(" ", scopes) + "\"")
                + ",\"groups\":[" + quoted(groups) + "]}";
        String input = B64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + B64.encodeToString(claims.getBytes(StandardCharsets.UTF_8));
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(key);
        rsa.update(input.getBytes(StandardCharsets.US_ASCII));
        return input + "." + B64.encodeToString(rsa.sign());
    }

    private static String quoted(List<String> values) {
        return values.stream().map(v -> "\"" + v + "\"").collect(Collectors.joining(","));
    }
}
