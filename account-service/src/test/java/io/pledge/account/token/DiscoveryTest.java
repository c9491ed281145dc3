package io.pledge.account.token;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.pledge.kit.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import org.junit.jupiter.api.Test;

/**
 * The discovery document names this service's real endpoints: each URL, taken back to this instance (the public base
 * is the gateway's), answers as its document says; the issuer is the one tokens carry. Real HTTP, real database.
 */
@QuarkusTest
class DiscoveryTest {

    private static String local(String url) {
        return URI.create(url).getPath().replaceFirst("^/api/accounts", "");
    }

    @Test
    void theDocumentNamesTheIssuerJwksTokenAndIntrospectionEndpoints() {
        JsonPath d = given().when().get("/.well-known/openid-configuration").then().statusCode(200)
                .extract().jsonPath();
        assertThat(d.getString("issuer")).isEqualTo(Roles.ISSUER);
        assertThat(d.getList("grant_types_supported")).contains("client_credentials");
        assertThat(d.getList("scopes_supported")).contains("token:introspect", "contact:read");
        assertThat(d.getList("claims_supported")).contains("sub", "sid", "groups", "name", "preferred_username");
        assertThat(d.getList("id_token_signing_alg_values_supported")).containsExactly("RS256");

        given().when().get(local(d.getString("jwks_uri"))).then().statusCode(200);
        // the token endpoint is the client-credentials grant: without client authentication an OAuth error
        given().formParam("grant_type", "client_credentials").when().post(local(d.getString("token_endpoint")))
                .then().statusCode(401);
        // introspection needs a token
        given().contentType("application/json").body("{\"token\":\"x\"}")
                .when().post(local(d.getString("introspection_endpoint"))).then().statusCode(401);
        given().contentType("application/json").body("{}").when().post(local(d.getString("pledge_staff_session_endpoint")))
                .then().statusCode(400);
    }
}
