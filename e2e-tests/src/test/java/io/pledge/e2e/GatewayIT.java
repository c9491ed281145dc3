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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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

    /**
     * A body over nginx's in-memory buffer (8 KiB) is written to the client-body temp folder before it is passed on:
     * 100 KiB reaches the service, which answers itself (its own validation problem, not an nginx 500).
     */
    @Test
    void aLargeBodyUnderTheLimitReachesTheService() {
        io.restassured.response.Response r = given().baseUri(PledgeSystem.GATEWAY).contentType(ContentType.JSON)
                .body("{\"userName\":\"" + "a".repeat(100 * 1024) + "\"}")
                .when().post("/api/accounts/v1/accounts");
        r.then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:pledge:problem:invalid-input"));
        // the service's own problem: it names the request the gateway passed on
        assertThat(r.jsonPath().getString("instance")).isEqualTo("urn:pledge:request:" + r.header("X-Request-Id"));
    }

    /**
     * Wherever the checkout is (under a home folder the worker user cannot enter, say), nginx's temp folders are
     * outside it, every folder above them can be entered by anyone, and each is the worker's own: read from the
     * configuration deploy/local/gateway rendered for this system.
     */
    @Test
    void theGatewaysTempFoldersAreOutsideTheCheckoutAndTheWorkersOwn() throws Exception {
        String conf = Files.readString(PledgeSystem.dataDir().resolve("gateway/nginx.conf"));
        String worker = "root".equals(System.getProperty("user.name")) ? "nobody" : System.getProperty("user.name");
        for (String kind : new String[] {"client_body", "proxy", "fastcgi", "uwsgi", "scgi"}) {
            Matcher m = Pattern.compile("(?m)^\\s*" + kind + "_temp_path\\s+([^;\\s]+);")
                    .matcher(conf);
            assertThat(m.find()).as(kind + "_temp_path is set").isTrue();
            Path dir = Path.of(m.group(1));
            assertThat(dir).as(kind + " temp folder").isAbsolute().isDirectory();
            assertThat(dir.startsWith(PledgeSystem.root())).as(dir + " is outside the checkout").isFalse();
            assertThat(Files.getOwner(dir).getName()).as("owner of " + dir).isEqualTo(worker);
            assertThat(Files.getPosixFilePermissions(dir)).as(dir + " is writable by its owner")
                    .contains(PosixFilePermission.OWNER_WRITE,
                            PosixFilePermission.OWNER_EXECUTE);
            for (Path up = dir.getParent(); up != null && up.getParent() != null; up = up.getParent()) {
                assertThat(Files.getPosixFilePermissions(up)).as(up + " can be entered by the worker")
                        .contains(PosixFilePermission.OTHERS_EXECUTE);
            }
        }
    }

    /**
     * The failure this guards against, reproduced: a second gateway (deploy/local/gateway, other ports, the same
     * services) whose data folder is inside a folder only its owner may enter, like a checkout under /root or a
     * home folder. A 100 KiB body still reaches the service, because nginx buffers it outside that folder.
     */
    @Test
    void aGatewayInAFolderTheWorkerCannotEnterStillPassesLargeBodies() throws Exception {
        Path locked = Files.createTempDirectory(PledgeSystem.dataDir(), "locked-checkout-",
                PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
        ProcessBuilder gateway = new ProcessBuilder(PledgeSystem.root().resolve("deploy/local/gateway").toString(), "up");
        gateway.environment().remove("PLEDGE_GATEWAY_DIR");
        gateway.environment().remove("PLEDGE_GATEWAY_TEMP_DIR");
        gateway.environment().put("PLEDGE_DATA_DIR", locked.resolve(".pledge").toString());
        gateway.environment().put("PLEDGE_GATEWAY_HTTP_PORT", "18480");
        gateway.environment().put("PLEDGE_GATEWAY_HTTPS_PORT", "18444");
        gateway.environment().put("PLEDGE_UPSTREAM_PORTS", "18081 18082 18083 18084 18085");
        gateway.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(
                PledgeSystem.dataDir().resolve("logs/gateway-script.log").toFile()));
        assertThat(gateway.start().waitFor()).as("deploy/local/gateway up in " + locked).isZero();
        try {
            given().baseUri("https://127.0.0.1:18444").contentType(ContentType.JSON)
                    .body("{\"userName\":\"" + "a".repeat(100 * 1024) + "\"}")
                    .when().post("/api/accounts/v1/accounts").then()
                    .statusCode(400).contentType("application/problem+json")
                    .body("type", equalTo("urn:pledge:problem:invalid-input"));
        } finally {
            gateway.command().set(1, "down");
            gateway.start().waitFor();
        }
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
