package io.pledge.account.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.account.support.Api;
import io.pledge.kit.security.ClientSecrets;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.security.ServiceTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
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
 * Service-to-service tokens: service-kit's ServiceTokens (what every other service uses) against this service's real
 * client-credentials endpoint, with the secret file it creates in the data folder, and the tokens it issues used at
 * this service's real endpoints (real PostgreSQL). Each token names one audience and carries only the scopes the
 * grant table gives that client there; a scope it does not hold is refused with {@code invalid_scope}, and a token
 * carrying the wrong scope or meant for another service is refused by the endpoints.
 */
@QuarkusTest
class ServiceClientTokenTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    ObjectMapper json;

    @Inject
    Api api;

    @Inject
    io.pledge.kit.security.OutboundPolicy outbound;

    @ConfigProperty(name = "pledge.data-dir")
    Path dataDir;

    @ConfigProperty(name = "quarkus.http.test-port", defaultValue = "8081")
    int port;

    private ServiceTokens tokens(String client, Optional<String> secret) {
        return new ServiceTokens(json, outbound, client, "http://127.0.0.1:" + port, dataDir, secret, true);
    }

    private JsonNode claims(String token) throws Exception {
        return json.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    private RequestSpecification as(String client) {
        return given().auth().preemptive().basic(client, ClientSecrets.readOrCreate(dataDir, client)).contentType(FORM)
                .formParam("grant_type", "client_credentials");
    }

    @Test
    void aServiceGetsOneTokenPerAudienceWithWhatItHoldsThere() throws Exception {
        ServiceTokens tokens = tokens("rights-request-service", Optional.empty());
        String token = tokens.token("account-service");
        given().auth().oauth2(token).when().get("/v1/session").then().statusCode(200)
                .body("subject", equalTo("rights-request-service"));
        JsonNode c = claims(token);
        assertThat(c.path("groups").toString()).isEqualTo("[\"holder\"]");
        assertThat(c.path("sub").asText()).isEqualTo("rights-request-service");
        assertThat(c.path("aud").isArray() ? c.path("aud").get(0).asText() : c.path("aud").asText()).isEqualTo("account-service");
        assertThat(Scopes.parse(c.path("scope").asText()))
                .containsExactlyInAnyOrder(Scopes.ACCOUNT_EXPORT_READ, Scopes.IDENTITY_VERIFICATION_WRITE,
                        Scopes.HOLDER_CLIENT_WRITE, Scopes.SESSION_READ);
        assertThat(tokens.token("account-service")).as("cached until shortly before it expires").isEqualTo(token);

        String forConsent = tokens.token("consent-service");
        assertThat(forConsent).isNotEqualTo(token);
        assertThat(claims(forConsent).path("scope").asText()).isEqualTo(Scopes.CONSENT_EXPORT_READ);
        // a token meant for consent-service is good nowhere else, this service included
        given().auth().oauth2(forConsent).when().get("/v1/session").then().statusCode(401).contentType(Api.PROBLEM)
                .body("type", equalTo("urn:pledge:problem:unauthorized"));

        Path secret = ClientSecrets.folder(dataDir).resolve("rights-request-service");
        assertThat(Files.getPosixFilePermissions(secret))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(ClientSecrets.readOrCreate(dataDir, "rights-request-service"))
                .as("a second start reads the same secret").isEqualTo(Files.readString(secret).strip());
    }

    @Test
    void aScopeTheClientDoesNotHoldIsRefusedWithInvalidScope() throws Exception {
        // notification-service reads contacts, never a subject's export or payment profile
        for (String scope : new String[] {Scopes.ACCOUNT_EXPORT_READ, Scopes.PAYMENT_READ,
                Scopes.CONTACT_READ + " " + Scopes.ACCOUNT_EXPORT_READ, "no-such:scope"}) {
            as("notification-service").formParam("audience", "account-service").formParam("scope", scope)
                    .when().post("/v1/oauth/token").then().statusCode(400).contentType(Api.PROBLEM)
                    .body("type", equalTo("urn:pledge:problem:invalid-input"))
                    .body("error", equalTo("invalid_scope")).body("field", equalTo("scope"))
                    .body("access_token", org.hamcrest.Matchers.nullValue());
        }
        // a scope of another service is not held at this audience either
        as("rights-request-service").formParam("audience", "account-service").formParam("scope", Scopes.CONSENT_EXPORT_READ)
                .when().post("/v1/oauth/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
        // consent-service only asks account-service whether a token's session is live: it holds nothing else anywhere
        as("consent-service").formParam("audience", "account-service")
                .when().post("/v1/oauth/token").then().statusCode(200).body("scope", equalTo(Scopes.SESSION_READ));
        as("consent-service").formParam("audience", "account-service").formParam("scope", Scopes.CONTACT_READ)
                .when().post("/v1/oauth/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
        as("consent-service").formParam("audience", "notification-service")
                .when().post("/v1/oauth/token").then().statusCode(400).body("error", equalTo("invalid_scope"));
        // asking for less than it holds is fine, and it gets exactly that
        String narrow = as("rights-request-service").formParam("audience", "account-service")
                .formParam("scope", Scopes.IDENTITY_VERIFICATION_WRITE)
                .when().post("/v1/oauth/token").then().statusCode(200)
                .body("scope", equalTo(Scopes.IDENTITY_VERIFICATION_WRITE)).extract().path("access_token");
        assertThat(claims(narrow).path("scope").asText()).isEqualTo(Scopes.IDENTITY_VERIFICATION_WRITE);
        // no audience, or one that is no Pledge service
        as("rights-request-service").when().post("/v1/oauth/token").then().statusCode(400).contentType(Api.PROBLEM)
                .body("error", equalTo("invalid_request")).body("field", equalTo("audience"));
        as("rights-request-service").formParam("audience", "https://partner.example")
                .when().post("/v1/oauth/token").then().statusCode(400).body("error", equalTo("invalid_target"));
        assertThatThrownBy(() -> tokens("rights-request-service", Optional.empty()).token("partner"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theExportAndPaymentEndpointsAdmitOnlyTheirClientWithTheScope() throws Exception {
        Api.Person p = api.adult("tokscope");
        // notification-service's real token for account-service: contact lookups, no export
        String notification = tokens("notification-service", Optional.empty()).token("account-service");
        given().auth().oauth2(notification).when().get("/v1/accounts/{id}/export", p.id()).then()
                .statusCode(403).contentType(Api.PROBLEM).body("type", equalTo("urn:pledge:problem:forbidden"));
        given().auth().oauth2(notification).when().get("/internal/v1/payment-profiles/{id}?purposeId=billing", p.id())
                .then().statusCode(403).contentType(Api.PROBLEM).body("type", equalTo("urn:pledge:problem:forbidden"));
        // the right client with only another of its scopes
        String narrow = as("rights-request-service").formParam("audience", "account-service")
                .formParam("scope", Scopes.IDENTITY_VERIFICATION_WRITE)
                .when().post("/v1/oauth/token").then().statusCode(200).extract().path("access_token");
        given().auth().oauth2(narrow).when().get("/v1/accounts/{id}/export", p.id()).then()
                .statusCode(403).contentType(Api.PROBLEM).body("type", equalTo("urn:pledge:problem:forbidden"));
        // the rightful caller
        String rights = tokens("rights-request-service", Optional.empty()).token("account-service");
        given().auth().oauth2(rights).when().get("/v1/accounts/{id}/export", p.id()).then()
                .statusCode(200).body("account.subjectId", equalTo(p.id().toString()));
        // the subject still reads their own part with their own (pledge-api) token
        Api.as(p).when().get("/v1/accounts/{id}/export", p.id()).then().statusCode(200);
    }

    @Test
    void aWrongSecretAnUnlistedClientOrAnotherGrantGetsAProblem() {
        ClientSecrets.readOrCreate(dataDir, "notification-service");
        assertThatRefused(tokens("notification-service", Optional.of("not-the-secret")));
        ClientSecrets.readOrCreate(dataDir, "stranger-service");
        String strangerSecret = ClientSecrets.read(dataDir, "stranger-service").orElseThrow();
        assertThatRefused(tokens("stranger-service", Optional.of(strangerSecret)));

        given().contentType(FORM).formParam("grant_type", "client_credentials").formParam("audience", "account-service")
                .when().post("/v1/oauth/token").then().statusCode(401).contentType(Api.PROBLEM)
                .body("error", equalTo("invalid_client"));
        given().auth().preemptive().basic("notification-service", ClientSecrets.read(dataDir, "notification-service").orElseThrow())
                .contentType(FORM).formParam("grant_type", "password").formParam("audience", "account-service")
                .when().post("/v1/oauth/token").then().statusCode(400).contentType(Api.PROBLEM)
                .body("field", equalTo("grant_type"));
        given().header("Authorization", "Basic %%%").contentType(FORM)
                .formParam("grant_type", "client_credentials")
                .when().post("/v1/oauth/token").then().statusCode(401).contentType(Api.PROBLEM);
    }

    private static void assertThatRefused(ServiceTokens tokens) {
        assertThatThrownBy(() -> tokens.token("account-service"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 401");
    }
}
