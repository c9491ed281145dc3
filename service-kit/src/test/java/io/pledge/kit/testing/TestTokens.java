package io.pledge.kit.testing;

import io.pledge.kit.security.Roles;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.util.KeyUtils;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;

/**
 * Test-only: mints RS256 tokens with the test key pair in {@code pledge-test-jwt/}, which every
 * service trusts in its {@code %test} profile only. A real deployment trusts account-service's
 * JWKS and never this key.
 */
public final class TestTokens {

    private static final PrivateKey KEY = load("pledge-test-jwt/private.pem");

    private TestTokens() {
    }

    /** A token for a data subject with that id. */
    public static String subject(UUID subjectId) {
        return token(subjectId.toString(), Set.of(Roles.SUBJECT), Duration.ofMinutes(10));
    }

    /** A token with any subject and roles, valid for the given time (negative for an expired one). */
    public static String token(String subject, Set<String> roles, Duration validFor) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(Roles.ISSUER)
                .subject(subject)
                .groups(roles)
                .issuedAt(now - 5)
                .expiresAt(now + validFor.toSeconds())
                .jws().keyId("pledge-test")
                .sign(KEY);
    }

    private static PrivateKey load(String resource) {
        try (InputStream in = TestTokens.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test key not on the classpath: " + resource);
            }
            return KeyUtils.decodePrivateKey(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot read test key " + resource, e);
        }
    }
}
