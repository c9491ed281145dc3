package io.pledge.account.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Base64;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The signing key generated into the data folder, and the JWKS that publishes it (real files, real HTTP). */
@QuarkusTest
class JwksTest {

    @Inject
    SigningKeys keys;

    @Test
    void jwksPublishesTheSigningKeyUnderItsKidFirst() {
        given().when().get("/.well-known/jwks.json").then()
                .statusCode(200)
                .body("keys[0].kty", equalTo("RSA"))
                .body("keys[0].alg", equalTo("RS256"))
                .body("keys[0].kid", equalTo(keys.keyId()));
    }

    @Test
    void theSigningKeyIsReadableByItsOwnerOnly() throws Exception {
        Path dir = Path.of("target/test-jwt");
        // the key current at start: a generated one, or the older layout's single pair
        Path priv = Files.exists(dir.resolve(keys.keyId() + ".key.pem")) ? dir.resolve(keys.keyId() + ".key.pem")
                : dir.resolve(SigningKeys.PRIVATE_FILE);
        assertThat(Files.getPosixFilePermissions(priv))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.readString(priv)).contains("BEGIN PRIVATE KEY");
    }

    @Test
    void anExistingKeyPairIsReusedNotRegenerated() {
        SigningKeys again = new SigningKeys(Path.of("target/test-jwt"), false, Path.of("target/test-jwt-again.json"));
        assertThat(again.keyId()).isEqualTo(keys.keyId());
    }

    @Test
    void issuedTokenCarriesTheKid() {
        String token = new TokenIssuer(keys, Duration.ofMinutes(1)).accessToken("s", Set.of("subject"));
        String header = new String(Base64.getUrlDecoder().decode(token.split("\\.")[0]));
        assertThat(header).contains("\"kid\":\"" + keys.keyId() + "\"").contains("RS256");
    }
}
