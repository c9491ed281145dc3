package io.pledge.account.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.pledge.kit.crypto.KeyPairFiles;
import io.pledge.kit.crypto.SigningKeyRing;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.jwt.auth.principal.JWTParser;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/**
 * A key rotation as an operator does it (a new key added to the key folder and made current): a token signed with
 * the retired key still verifies, both with this service's own verification and against the published JWKS, which
 * lists both keys under their kids; a restarted instance signs with the new key. Real key files, real HTTP, the
 * service's real PostgreSQL and Kafka; nothing faked.
 */
@QuarkusTest
class SigningKeyRotationTest {

    private static final Path DIR = Path.of("target/test-jwt");

    @Inject
    SigningKeys keys;

    @Inject
    JWTParser parser;

    @Test
    void aTokenSignedWithARetiredKeyStillVerifiesAndTheJwksListsBothKeys() throws Exception {
        String before = new TokenIssuer(keys, Duration.ofMinutes(5)).accessToken("s-rotation", Set.of("subject"));
        String oldKid = keys.keyId();

        String newKid = SigningKeyRing.rotate(DIR, KeyPairFiles.Kind.RSA_2048);
        keys.refresh();

        List<String> kids = given().when().get("/.well-known/jwks.json").then().statusCode(200)
                .extract().jsonPath().getList("keys.kid");
        assertThat(kids).contains(oldKid, newKid).doesNotHaveDuplicates();

        // this service still accepts the token issued before the rotation
        assertThat(parser.parse(before).getSubject()).isEqualTo("s-rotation");

        // an instance started after the rotation signs with the new key, named by its kid
        SigningKeys restarted = new SigningKeys(DIR, false, Path.of("target/test-jwt-restarted.json"));
        assertThat(restarted.keyId()).isEqualTo(newKid);
        String after = new TokenIssuer(restarted, Duration.ofMinutes(5)).accessToken("s-rotation", Set.of("subject"));
        assertThat(header(after)).contains("\"kid\":\"" + newKid + "\"");

        // a holder verifying with the published JWKS accepts both tokens
        JsonWebKeySet jwks = new JsonWebKeySet(given().when().get("/.well-known/jwks.json").asString());
        for (String token : List.of(before, after)) {
            JsonWebSignature jws = new JsonWebSignature();
            jws.setCompactSerialization(token);
            JsonWebKey key = jwks.findJsonWebKey(jws.getKeyIdHeaderValue(), "RSA", "sig", "RS256");
            assertThat(key).as("JWKS key for %s", jws.getKeyIdHeaderValue()).isNotNull();
            jws.setKey(key.getKey());
            assertThat(jws.verifySignature()).isTrue();
        }
        assertThat(restarted.jwks().toString()).contains(oldKid);
    }

    private static String header(String token) {
        return new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]), StandardCharsets.UTF_8);
    }
}
