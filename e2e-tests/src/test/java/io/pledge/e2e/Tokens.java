package io.pledge.e2e;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Forges RS256 JWTs (RFC 7515 compact form) with a key the test generates, for the tests of token verification
 * itself ({@link FoundationIT}): such a token must be refused everywhere. Every token a test uses to get in comes
 * from account-service the way a real user or client gets it ({@link Subjects}, {@link Staff}, {@link Clients}).
 */
final class Tokens {

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private Tokens() {
    }

    static final String ISSUER = "https://pledge.local/account-service";
    static final String PUBLIC_AUDIENCE = "pledge-api";

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
