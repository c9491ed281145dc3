package io.pledge.account.client;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Registered holders' OAuth clients against this service's real endpoints and real PostgreSQL: the holder registry
 * (rights-request-service's client token as account-service's own issuer signs it with what the grant table gives it,
 * {@link Api#holderToken}; this service trusts no test key) issues a client; the client gets tokens from
 * {@code POST /v1/oauth/token} with its secret and the registry's scopes only; it calls the contact look-up without
 * being in any configured list; a wrong secret, a rotated-out secret and a revoked client get {@code invalid_client},
 * and tokens already issued die with their credential (401 at the contact look-up). Nothing is faked.
 */
@QuarkusTest
class HolderClientTest {

    private static final String FORM = "application/x-www-form-urlencoded";

    @Inject
    Api api;

    @Inject
    ObjectMapper json;

    @Inject
    AgroalDataSource db;

    private ValidatableResponse issue(String token, Object body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body)
                .when().post("/internal/v1/holder-clients").then();
    }

    private String registry() {
        return api.holderToken("rights-request-service");
    }

    private static ValidatableResponse tokenRequest(String clientId, String secret, String audience, String scope) {
        var r = given().auth().preemptive().basic(clientId, secret).contentType(FORM)
                .formParam("grant_type", "client_credentials").formParam("audience", audience);
        if (scope != null) {
            r.formParam("scope", scope);
        }
        return r.when().post("/v1/oauth/token").then();
    }

    private static ValidatableResponse contacts(String token, UUID subject) {
        return given().auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("purposeId", "account-security", "subjectIds", List.of(subject.toString())))
                .when().post("/internal/v1/contacts").then();
    }

    private JsonNode claims(String token) throws Exception {
        return json.readTree(new String(Base64.getUrlDecoder().decode(token.split("\\.")[1]), StandardCharsets.UTF_8));
    }

    @Test
    void aRegisteredHolderGetsTokensWithItsSecretUntilRotatedOrRevoked() throws Exception {
        Api.Person p = api.adult("hclient");
        String holder = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        JsonPath issued = issue(registry(), Map.of("holderId", holder,
                "scopes", List.of(Scopes.CONTACT_READ, Scopes.CONSENT_CHECK))).statusCode(201).extract().jsonPath();
        String clientId = issued.getString("clientId");
        String secret = issued.getString("clientSecret");
        UUID credential = UUID.fromString(issued.getString("credentialId"));
        assertThat(clientId).isEqualTo("holder-" + holder);
        assertThat(secret).hasSize(43);
        assertThat(issued.getList("scopes", String.class)).containsExactlyInAnyOrder(Scopes.CONTACT_READ, Scopes.CONSENT_CHECK);
        assertThat(storedHash(clientId)).as("only a hash is stored").isNotEqualTo(secret).hasSize(64).doesNotContain(secret);
        // the secret is never shown again
        given().auth().oauth2(registry()).when().get("/internal/v1/holder-clients/{c}", clientId).then().statusCode(200)
                .body("status", equalTo("ACTIVE")).body("clientSecret", org.hamcrest.Matchers.nullValue())
                .body("credentialId", equalTo(credential.toString()));

        // a token for account-service with what the registry granted there, bound to the credential
        String token = tokenRequest(clientId, secret, "account-service", null).statusCode(200)
                .body("scope", equalTo(Scopes.CONTACT_READ)).extract().path("access_token");
        JsonNode c = claims(token);
        assertThat(c.path("sub").asText()).isEqualTo(clientId);
        assertThat(c.path("sid").asText()).isEqualTo(credential.toString());
        assertThat(c.path("groups").toString()).isEqualTo("[\"" + Roles.HOLDER + "\"]");
        tokenRequest(clientId, secret, "consent-service", null).statusCode(200).body("scope", equalTo(Scopes.CONSENT_CHECK));
        // a scope it was not granted, even one a holder may hold, is refused, never trimmed
        tokenRequest(clientId, secret, "account-service", Scopes.USAGE_READ).statusCode(400).contentType(Api.PROBLEM)
                .body("error", equalTo("invalid_scope"));
        tokenRequest(clientId, secret, "account-service", Scopes.NOTICE_SECRET_READ).statusCode(400)
                .body("error", equalTo("invalid_scope"));
        // not in pledge.account.holder.contact-readers, yet its scope lets it look up contacts
        contacts(token, p.id()).statusCode(200).body("results[0].outcome", equalTo("OK"))
                .body("results[0].email", equalTo(p.email()));

        // a wrong secret
        tokenRequest(clientId, secret + "x", "account-service", null).statusCode(401).contentType(Api.PROBLEM)
                .body("error", equalTo("invalid_client"));
        tokenRequest(clientId, "A".repeat(43), "account-service", null).statusCode(401).body("error", equalTo("invalid_client"));

        // rotation: the new secret works, the old one and its tokens are refused at once
        JsonPath rotated = given().auth().oauth2(registry()).when()
                .post("/internal/v1/holder-clients/{c}/rotation", clientId).then().statusCode(200).extract().jsonPath();
        String fresh = rotated.getString("clientSecret");
        assertThat(fresh).isNotEqualTo(secret);
        assertThat(rotated.getString("credentialId")).isNotEqualTo(credential.toString());
        tokenRequest(clientId, secret, "account-service", null).statusCode(401).body("error", equalTo("invalid_client"));
        contacts(token, p.id()).statusCode(401).contentType(Api.PROBLEM);
        String freshToken = tokenRequest(clientId, fresh, "account-service", null).statusCode(200)
                .extract().path("access_token");
        assertThat(claims(freshToken).path("sid").asText()).isEqualTo(rotated.getString("credentialId"));
        contacts(freshToken, p.id()).statusCode(200).body("results[0].outcome", equalTo("OK"));

        // revocation: the secret and the token issued before are refused; again changes nothing
        given().auth().oauth2(registry()).when().post("/internal/v1/holder-clients/{c}/revocation", clientId).then()
                .statusCode(200).body("status", equalTo("REVOKED"));
        given().auth().oauth2(registry()).when().post("/internal/v1/holder-clients/{c}/revocation", clientId).then()
                .statusCode(200).body("status", equalTo("REVOKED"));
        tokenRequest(clientId, fresh, "account-service", null).statusCode(401).contentType(Api.PROBLEM)
                .body("error", equalTo("invalid_client"));
        contacts(freshToken, p.id()).statusCode(401).contentType(Api.PROBLEM);
        given().auth().oauth2(registry()).when().post("/internal/v1/holder-clients/{c}/rotation", clientId).then()
                .statusCode(409).contentType(Api.PROBLEM);
    }

    @Test
    void issuingAgainGivesOneClientWithOnlyTheLatestSecret() {
        String holder = "retry-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = Map.of("holderId", holder, "scopes", List.of(Scopes.CONTACT_READ));
        JsonPath first = issue(registry(), body).statusCode(201).extract().jsonPath();
        JsonPath second = issue(registry(), body).statusCode(201).extract().jsonPath();
        assertThat(second.getString("clientId")).isEqualTo(first.getString("clientId"));
        tokenRequest(first.getString("clientId"), first.getString("clientSecret"), "account-service", null)
                .statusCode(401).body("error", equalTo("invalid_client"));
        tokenRequest(second.getString("clientId"), second.getString("clientSecret"), "account-service", null)
                .statusCode(200);
    }

    @Test
    void aHolderTokenWithoutTheEndpointsScopeIsRefused() {
        Api.Person p = api.adult("hscope");
        String holder = "usage-" + UUID.randomUUID().toString().substring(0, 8);
        JsonPath issued = issue(registry(), Map.of("holderId", holder, "scopes", List.of(Scopes.USAGE_READ)))
                .statusCode(201).extract().jsonPath();
        String token = tokenRequest(issued.getString("clientId"), issued.getString("clientSecret"), "account-service", null)
                .statusCode(200).extract().path("access_token");
        contacts(token, p.id()).statusCode(403).contentType(Api.PROBLEM)
                .body("type", equalTo("urn:pledge:problem:forbidden"));
        // nor can it manage holder clients itself
        issue(token, Map.of("holderId", "x" + holder, "scopes", List.of(Scopes.CONTACT_READ))).statusCode(403)
                .contentType(Api.PROBLEM);
    }

    @Test
    void onlyTheRegistryManagesHolderClientsAndOnlyWithHolderScopes() {
        Map<String, Object> good = Map.of("holderId", "nobody-" + UUID.randomUUID().toString().substring(0, 8),
                "scopes", List.of(Scopes.CONTACT_READ));
        issue(api.holderToken("notification-service"), good).statusCode(403).contentType(Api.PROBLEM);
        issue(api.supportToken(), good).statusCode(403).contentType(Api.PROBLEM);
        given().contentType(ContentType.JSON).body(good).when().post("/internal/v1/holder-clients").then().statusCode(401);
        for (String reserved : List.of(Scopes.NOTICE_SECRET_READ, Scopes.IDENTITY_VERIFICATION_WRITE,
                Scopes.ACCOUNT_EXPORT_READ, Scopes.HOLDER_CLIENT_WRITE, "no-such:scope")) {
            issue(registry(), Map.of("holderId", "bad-scope", "scopes", List.of(reserved))).statusCode(400)
                    .contentType(Api.PROBLEM).body("field", equalTo("scopes"));
        }
        issue(registry(), Map.of("holderId", "Bad Id", "scopes", List.of(Scopes.CONTACT_READ))).statusCode(400)
                .contentType(Api.PROBLEM);
        issue(registry(), Map.of("holderId", "no-scopes", "scopes", List.of())).statusCode(400).contentType(Api.PROBLEM);
        given().auth().oauth2(registry()).when().post("/internal/v1/holder-clients/{c}/rotation", "holder-no-such")
                .then().statusCode(404).contentType(Api.PROBLEM);
        given().auth().oauth2(registry()).when().post("/internal/v1/holder-clients/{c}/revocation", "notification-service")
                .then().statusCode(400).contentType(Api.PROBLEM);
        // nothing was created for any refused request
        tokenRequest("holder-bad-scope", "x", "account-service", null).statusCode(401);
        assertThat(storedHash("holder-bad-scope")).isNull();
        assertThat(storedHash("holder-no-scopes")).isNull();
    }

    private String storedHash(String clientId) throws RuntimeException {
        try (Connection c = db.getConnection();
             PreparedStatement s = c.prepareStatement("select secret_hash from holder_client where client_id = ?")) {
            s.setString(1, clientId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : null;
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
