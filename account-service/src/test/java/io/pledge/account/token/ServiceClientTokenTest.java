package io.pledge.account.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.account.support.Api;
import io.pledge.kit.security.ClientSecrets;
import io.pledge.kit.security.ServiceTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Base64;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Service-to-service tokens: service-kit's ServiceTokens (what every other service uses) against
 * this service's real client-credentials endpoint, with the secret file it creates in the data folder.
 */
@QuarkusTest
class ServiceClientTokenTest {

    @Inject
    ObjectMapper json;

    @Inject
    io.pledge.kit.security.OutboundPolicy outbound;

    @ConfigProperty(name = "pledge.data-dir")
    Path dataDir;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    private ServiceTokens tokens(String client, Optional<String> secret) {
        return new ServiceTokens(json, outbound, client, "http://127.0.0.1:" + port, dataDir, secret, true);
    }

    @Test
    void aServiceGetsAHolderTokenThatPledgeServicesAccept() throws Exception {
        ServiceTokens tokens = tokens("rights-request-service", Optional.empty());
        String token = tokens.token();
        given().auth().oauth2(token).when().get("/v1/session").then().statusCode(200)
                .body("subject", equalTo("rights-request-service"));
        String payload = new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8);
        assertThat(payload).contains("\"groups\":[\"holder\"]").contains("\"sub\":\"rights-request-service\"");
        assertThat(tokens.token()).as("cached until shortly before it expires").isEqualTo(token);

        Path secret = ClientSecrets.folder(dataDir).resolve("rights-request-service");
        assertThat(Files.getPosixFilePermissions(secret))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(ClientSecrets.readOrCreate(dataDir, "rights-request-service"))
                .as("a second start reads the same secret").isEqualTo(Files.readString(secret).strip());
    }

    @Test
    void aWrongSecretAnUnlistedClientOrAnotherGrantGetsAProblem() {
        ClientSecrets.readOrCreate(dataDir, "notification-service");
        assertThatRefused(tokens("notification-service", Optional.of("not-the-secret")));
        ClientSecrets.readOrCreate(dataDir, "stranger-service");
        String strangerSecret = ClientSecrets.read(dataDir, "stranger-service").orElseThrow();
        assertThatRefused(tokens("stranger-service", Optional.of(strangerSecret)));

        given().contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                .when().post("/v1/oauth/token").then().statusCode(401).contentType(Api.PROBLEM);
        given().auth().preemptive().basic("notification-service",
                        ClientSecrets.read(dataDir, "notification-service").orElseThrow())
                .contentType("application/x-www-form-urlencoded").formParam("grant_type", "password")
                .when().post("/v1/oauth/token").then().statusCode(400).contentType(Api.PROBLEM)
                .body("field", equalTo("grant_type"));
        given().header("Authorization", "Basic %%%").contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials")
                .when().post("/v1/oauth/token").then().statusCode(401).contentType(Api.PROBLEM);
    }

    private static void assertThatRefused(ServiceTokens tokens) {
        org.assertj.core.api.Assertions.assertThatThrownBy(tokens::token)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 401");
    }
}
