package io.pledge.kit.security;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The verified-token cache in front of smallrye-jwt's parser: a token verified once is answered from memory
 * until it expires, and caching never lets through a token the parser alone would refuse.
 */
@QuarkusTest
class VerifiedTokenCacheTest {

    @Inject
    JWTParser parser;

    @Test
    void aVerifiedTokenIsRememberedAndAnsweredTheSame() throws Exception {
        String subject = UUID.randomUUID().toString();
        String token = TestTokens.token(subject, Set.of(Roles.SUBJECT), Duration.ofMinutes(5));
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(token).get("/v1/session").then().statusCode(200).body("subject", equalTo(subject));
        }
        // the same token parsed again comes back as the very instance verified the first time
        assertThat(parser.parse(token)).isSameAs(parser.parse(token));
        assertThat(parser.parse(token).getSubject()).isEqualTo(subject);
    }

    @Test
    void aTamperedTokenIsRefusedEvenAfterTheGenuineOneWasCached() {
        String subject = UUID.randomUUID().toString();
        String token = TestTokens.token(subject, Set.of(Roles.SUBJECT), Duration.ofMinutes(5));
        given().auth().oauth2(token).get("/v1/session").then().statusCode(200);
        String[] parts = token.split("\\.");
        String forgedClaims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"" + Roles.ISSUER + "\",\"sub\":\"someone-else\",\"groups\":[\"" + Roles.PRIVACY_OFFICER
                        + "\"],\"exp\":" + (System.currentTimeMillis() / 1000 + 300) + "}").getBytes());
        String forged = parts[0] + "." + forgedClaims + "." + parts[2];
        given().auth().oauth2(forged).get("/v1/session").then().statusCode(401);
        given().auth().oauth2(token.substring(0, token.length() - 4) + "AAAA").get("/v1/session").then().statusCode(401);
    }

    @Test
    void aCachedTokenIsForgottenTheMomentItExpires() throws Exception {
        String token = TestTokens.token(UUID.randomUUID().toString(), Set.of(Roles.SUBJECT), Duration.ofSeconds(2));
        given().auth().oauth2(token).get("/v1/session").then().statusCode(200);
        var cached = parser.parse(token);
        assertThat(parser.parse(token)).isSameAs(cached);
        Thread.sleep(3_000);
        // past exp the cache no longer answers: the parser verifies afresh and applies its own rules (including
        // the MicroProfile JWT clock skew), so the cache can never extend a token's life
        try {
            assertThat(parser.parse(token)).isNotSameAs(cached);
        } catch (io.smallrye.jwt.auth.principal.ParseException refused) {
            // refused outright by the parser: also correct
        }
    }

    @Test
    void anExpiredTokenIsNeverCached() {
        String token = TestTokens.token(UUID.randomUUID().toString(), Set.of(Roles.SUBJECT), Duration.ofSeconds(-60));
        given().auth().oauth2(token).get("/v1/session").then().statusCode(401);
        given().auth().oauth2(token).get("/v1/session").then().statusCode(401);
    }
}
