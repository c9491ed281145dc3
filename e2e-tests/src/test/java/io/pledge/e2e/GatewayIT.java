package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.restassured.RestAssured;
import io.restassured.config.RedirectConfig;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The API gateway as frontend apps meet it: real nginx (deploy/local/gateway) over HTTPS with its
 * locally generated self-signed certificate, in front of the five packaged services
 * ({@link PledgeSystem}). Routes, /internal and /q hidden, body and rate limits as problems, CORS,
 * and the request id followed into a service's log. Nothing is faked.
 */
@ExtendWith(PledgeSystem.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GatewayIT {

    @BeforeAll
    static void trustTheSelfSignedCertificate() {
        RestAssured.useRelaxedHTTPSValidation();
    }

    @Test
    void routesEachApiPrefixToItsService() {
        given().baseUri(PledgeSystem.GATEWAY).when().get("/api/accounts/.well-known/jwks.json").then()
                .statusCode(200).body("keys", hasSize(1));
        for (String prefix : new String[] {"consents", "requests", "notifications", "audit"}) {
            // the service's own 401 (an unstripped prefix would be its 404); the problem names the request by its id
            io.restassured.response.Response r = given().baseUri(PledgeSystem.GATEWAY).when()
                    .get("/api/" + prefix + "/v1/session");
            r.then().statusCode(401).contentType("application/problem+json")
                    .body("type", equalTo("urn:pledge:problem:unauthorized"));
            assertThat(r.jsonPath().getString("instance")).isEqualTo("urn:pledge:request:" + r.header("X-Request-Id"));
        }
    }

    @Test
    void internalAndManagementEndpointsAreNotReachable() {
        for (String path : new String[] {"/api/accounts/internal/v1/keys", "/api/consents/q/health/ready",
                "/api/audit/q/metrics", "/q/health", "/"}) {
            given().baseUri(PledgeSystem.GATEWAY).when().get(path).then()
                    .statusCode(404).contentType("application/problem+json")
                    .body("type", equalTo("urn:pledge:problem:not-found"));
        }
    }

    @Test
    void plainHttpIsRedirectedToHttps() {
        given().baseUri(PledgeSystem.GATEWAY_HTTP).config(RestAssured.config().redirect(RedirectConfig.redirectConfig().followRedirects(false)))
                .when().get("/api/accounts/.well-known/jwks.json").then()
                .statusCode(308).header("Location", org.hamcrest.Matchers.startsWith("https://"));
    }

    @Test
    void anOversizedBodyIsStoppedAtTheGatewayWithAProblem() {
        given().baseUri(PledgeSystem.GATEWAY).contentType(ContentType.JSON).body("{\"token\":\"" + "a".repeat(300 * 1024) + "\"}")
                .when().post("/api/accounts/v1/tokens/introspect").then()
                .statusCode(413).contentType("application/problem+json")
                .body("type", equalTo("urn:pledge:problem:payload-too-large"));
    }

    @Test
    void corsAnswersOnlyConfiguredOrigins() {
        given().baseUri(PledgeSystem.GATEWAY).header("Origin", PledgeSystem.ALLOWED_ORIGIN)
                .header("Access-Control-Request-Method", "POST")
                .when().options("/api/consents/v1/session").then()
                .statusCode(204).header("Access-Control-Allow-Origin", PledgeSystem.ALLOWED_ORIGIN);
        given().baseUri(PledgeSystem.GATEWAY).header("Origin", "https://evil.example")
                .header("Access-Control-Request-Method", "POST")
                .when().options("/api/consents/v1/session").then()
                .statusCode(204).header("Access-Control-Allow-Origin", nullValue());
    }

    @Test
    void theRequestIdReachesTheServiceAndItsLog() throws Exception {
        String id = "e2e-" + UUID.randomUUID();
        given().baseUri(PledgeSystem.GATEWAY).header("X-Request-Id", id).when().get("/api/audit/v1/session").then()
                .statusCode(401).header("X-Request-Id", id);
        Path log = PledgeSystem.dataDir().resolve("logs").resolve("audit-service.log");
        long deadline = System.currentTimeMillis() + 10_000;
        while (!Files.readString(log).contains("rid=" + id) && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
        }
        assertThat(Files.readString(log)).contains("rid=" + id);
    }

    /** Last, and it waits for the bucket to refill after, since every test shares 127.0.0.1's budget. */
    @Test
    @Order(Integer.MAX_VALUE)
    void aClientOverItsRateGets429Problems() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Response>> responses = new ArrayList<>();
        for (int i = 0; i < PledgeSystem.GATEWAY_BURST * 10; i++) {
            responses.add(pool.submit(() -> given().baseUri(PledgeSystem.GATEWAY).when()
                    .get("/api/accounts/.well-known/jwks.json").then().extract().response()));
        }
        List<Response> limited = new ArrayList<>();
        for (Future<Response> f : responses) {
            Response r = f.get(1, TimeUnit.MINUTES);
            if (r.statusCode() == 429) {
                limited.add(r);
            }
        }
        pool.shutdown();
        assertThat(limited).as("requests refused over the rate").isNotEmpty();
        Response refused = limited.get(0);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.header("Retry-After")).isEqualTo("1");
        assertThat(refused.jsonPath().getString("type")).isEqualTo("urn:pledge:problem:too-many-requests");
        Thread.sleep(2_000);
    }
}
