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
                    .header("Pledge-Gateway", "no-route")
                    .body("type", equalTo("urn:pledge:problem:no-route"));
        }
    }

    /**
     * Paths that a service would decode, normalise or split into /internal or /q (or anything outside its public
     * /v1 API), each sent byte for byte over TLS exactly as written (no client library re-encodes or normalises
     * it). Every one must get the gateway's own 404 problem, told apart from a service's 404 by its type
     * (urn:pledge:problem:no-route) and the Pledge-Gateway header. Before the allow-list, the first one answered
     * 200 with account-service's internal keys.
     */
    static final List<String> BYPASS_CORPUS = List.of(
            "/api/accounts/%252e%252e/internal/v1/keys",
            "/api/accounts/v1/%252e%252e/%252e%252e/internal/v1/keys",
            "/api/accounts/v1/%2e%2e/%2e%2e/internal/v1/keys",
            "/api/accounts/v1/%2E%2E/%2E%2E/internal/v1/keys",
            "/api/accounts/%2e%2e/internal/v1/keys",
            "/api/accounts/v1/../../internal/v1/keys",
            "/api/accounts/v1/accounts/../../internal/v1/contacts",
            "/api/accounts/../../../q/health",
            "/api/accounts//internal/v1/keys",
            "/api/accounts/v1//../internal/v1/keys",
            "/api/accounts/./internal/v1/keys",
            "/api/accounts/v1/./../internal/v1/keys",
            "/api/accounts/%2569nternal/v1/keys",
            "/api/accounts/%69nternal/v1/keys",
            "/api/accounts/v1%2f..%2finternal/v1/keys",
            "/api/accounts/v1/..%2finternal/v1/keys",
            "/api/accounts/v1/..%2Finternal/v1/keys",
            "/api/accounts/v1/..%5cinternal%5cv1%5ckeys",
            "/api/accounts/v1\\..\\internal\\v1\\keys",
            "/api/accounts/Internal/v1/keys",
            "/api/accounts/INTERNAL/v1/keys",
            "/api/accounts/internal./v1/keys",
            "/api/accounts/internal;x/v1/keys",
            "/api/accounts/v1;x/../internal/v1/keys",
            "/api/accounts/v1/accounts;/../../internal/v1/keys",
            "/api/accounts/V1/../internal/v1/keys",
            "/API/accounts/internal/v1/keys",
            "/api/accounts/%71/metrics",
            "/api/accounts/q/metrics",
            "/api/accounts/q./metrics",
            "/api/accounts/Q/metrics",
            "/api/accounts/v1/%2e%2e/q/metrics",
            "/api/accounts/v1/%252e%252e/q/openapi",
            "/api/consents/q/openapi",
            "/api/consents/q/health",
            "/api/requests/q/metrics",
            "/api/notifications/q/health/ready",
            "/api/audit/q/openapi",
            "/api/audit/v1/..;/q/metrics",
            "/api/requests/v1/%00/../q/metrics",
            "/api/requests/v1/%C0%AE%C0%AE/q/metrics",
            "/api/notifications/internal/v1/print-jobs/export",
            "/api/notifications/v1/..%252finternal/v1/print-jobs/export",
            "/q/metrics", "/q/health", "/q/openapi", "/internal/v1/keys",
            "/%2e%2e/q/health",
            "/api/accounts/q",
            "/api/accounts/internal",
            "/api/accounts");

    @Test
    void everyBypassPathGetsTheGatewaysOwn404() throws Exception {
        for (String path : BYPASS_CORPUS) {
            Raw r = raw(path);
            assertThat(r.status()).as("status of %s (body %s)", path, r.body()).isEqualTo(404);
            assertThat(r.header("content-type")).as("content type of %s", path).startsWith("application/problem+json");
            assertThat(r.header("pledge-gateway")).as("%s answered by the gateway itself", path).isEqualTo("no-route");
            assertThat(r.body()).as(path).contains("\"type\":\"urn:pledge:problem:no-route\"");
            assertSecurityHeaders(r.headers(), path);
        }
        // the same raw client does reach a public route, and a service's own 404 is told apart from the gateway's
        Raw jwks = raw("/api/accounts/.well-known/jwks.json");
        assertThat(jwks.status()).isEqualTo(200);
        assertThat(jwks.body()).contains("\"keys\"");
        Raw missing = raw("/api/accounts/v1/no-such-resource");
        assertThat(missing.status()).isEqualTo(404);
        assertThat(missing.header("pledge-gateway")).isNull();
        assertThat(missing.body()).contains("\"type\":\"urn:pledge:problem:not-found\"");
        // a path with harmless escapes reaches the service as sent (its own answer, not the gateway's)
        Raw escaped = raw("/api/accounts/v1/no-such%20resource%40here");
        assertThat(escaped.status()).isEqualTo(404);
        assertThat(escaped.header("pledge-gateway")).isNull();
    }

    /**
     * HSTS, nosniff, no referrer, no framing and no-store on every response through the gateway: a proxied success,
     * a service's problem, the gateway's own 404, 413; and the same headers from each service itself on its own
     * port (a success, a problem, the not-found handler, a management endpoint).
     */
    @Test
    void securityHeadersAreOnEveryResponse() throws Exception {
        Response jwks = given().baseUri(PledgeSystem.GATEWAY).when().get("/api/accounts/.well-known/jwks.json");
        assertThat(jwks.statusCode()).isEqualTo(200);
        assertSecurityHeaders(jwks, "gateway jwks");
        // the service's own caching survives the gateway (the JWKS may be cached), once
        assertThat(jwks.headers().getValues("Cache-Control")).hasSize(1).first().asString().contains("max-age");
        for (String prefix : new String[] {"accounts", "consents", "requests", "notifications", "audit"}) {
            Response r = given().baseUri(PledgeSystem.GATEWAY).when().get("/api/" + prefix + "/v1/session");
            assertThat(r.statusCode()).isEqualTo(401);
            assertSecurityHeaders(r, "gateway " + prefix + " 401");
            assertThat(r.headers().getValues("Cache-Control")).containsExactly("no-store");
        }
        Response noRoute = given().baseUri(PledgeSystem.GATEWAY).when().get("/api/accounts/internal/v1/keys");
        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertSecurityHeaders(noRoute, "gateway 404");
        assertThat(noRoute.header("Cache-Control")).isEqualTo("no-store");
        Response tooLarge = given().baseUri(PledgeSystem.GATEWAY).contentType(ContentType.JSON)
                .body("{\"token\":\"" + "a".repeat(300 * 1024) + "\"}").when().post("/api/accounts/v1/tokens/introspect");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertSecurityHeaders(tooLarge, "gateway 413");

        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            String base = "http://127.0.0.1:" + s.port();
            Response unauthorized = given().baseUri(base).when().get("/v1/session");
            assertThat(unauthorized.statusCode()).isEqualTo(401);
            assertSecurityHeaders(unauthorized, s.module() + " 401");
            assertThat(unauthorized.header("Cache-Control")).isEqualTo("no-store");
            Response notFound = given().baseUri(base).when().get("/v1/no-such-resource");
            assertThat(notFound.statusCode()).isEqualTo(404);
            assertSecurityHeaders(notFound, s.module() + " 404");
            Response health = given().baseUri(base).when().get("/q/health/live");
            assertThat(health.statusCode()).isEqualTo(200);
            assertSecurityHeaders(health, s.module() + " /q/health/live");
        }
        Response direct = given().baseUri("http://127.0.0.1:" + PledgeSystem.ACCOUNT.port()).when().get("/.well-known/jwks.json");
        assertSecurityHeaders(direct, "account-service jwks");
        assertThat(direct.header("Cache-Control")).contains("max-age");
    }

    private static void assertSecurityHeaders(Response r, String what) {
        java.util.Map<String, List<String>> h = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        r.headers().forEach(x -> h.computeIfAbsent(x.getName(), k -> new ArrayList<>()).add(x.getValue()));
        assertSecurityHeaders(h, what);
    }

    private static void assertSecurityHeaders(java.util.Map<String, List<String>> h, String what) {
        assertThat(h.get("Strict-Transport-Security")).as("HSTS on %s", what).containsExactly("max-age=31536000; includeSubDomains");
        assertThat(h.get("X-Content-Type-Options")).as("nosniff on %s", what).containsExactly("nosniff");
        assertThat(h.get("Referrer-Policy")).as("Referrer-Policy on %s", what).containsExactly("no-referrer");
        assertThat(h.get("X-Frame-Options")).as("X-Frame-Options on %s", what).containsExactly("DENY");
        assertThat(h.get("Content-Security-Policy")).as("CSP on %s", what).containsExactly("frame-ancestors 'none'");
        assertThat(h.get("Cache-Control")).as("Cache-Control on %s", what).hasSize(1);
    }

    /**
     * The services listen on loopback only on the embedded default: every listening TCP socket on a service's
     * port (and the embedded mail server's) is bound to 127.0.0.1 as the kernel reports it, and on each of this
     * machine's other addresses the port refuses connections.
     */
    @Test
    void theServicesListenOnLoopbackOnly() throws Exception {
        List<Integer> ports = new ArrayList<>();
        PledgeSystem.ALL.forEach(s -> ports.add(s.port()));
        ports.add(PledgeSystem.SMTP_PORT);
        ports.add(PledgeSystem.IMAP_PORT);
        List<String> listening = new ArrayList<>();
        for (String table : new String[] {"/proc/net/tcp", "/proc/net/tcp6"}) {
            for (String line : Files.readAllLines(Path.of(table)).stream().skip(1).toList()) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                int port = Integer.parseInt(local[1], 16);
                if (f[3].equals("0A") && ports.contains(port)) {
                    listening.add(port + "@" + local[0]);
                    // 0100007F is 127.0.0.1 (little-endian); tcp6 loopback is ::1, or ::ffff:127.0.0.1
                    assertThat(local[0]).as("%s: port %d listens on %s", table, port, local[0])
                            .isIn("0100007F", "00000000000000000000000001000000", "0000000000000000FFFF00000100007F");
                }
            }
        }
        assertThat(listening).as("the services' listening sockets were found").hasSizeGreaterThanOrEqualTo(ports.size());
        for (java.net.NetworkInterface nic : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (java.net.InetAddress a : java.util.Collections.list(nic.getInetAddresses())) {
                if (a.isLoopbackAddress() || a.isLinkLocalAddress()) {
                    continue;
                }
                for (int port : ports) {
                    try (java.net.Socket socket = new java.net.Socket()) {
                        socket.connect(new java.net.InetSocketAddress(a, port), 2_000);
                        throw new AssertionError("port " + port + " answers on " + a.getHostAddress());
                    } catch (java.net.ConnectException | java.net.SocketTimeoutException refused) {
                        // not listening there, as it must be
                    }
                }
            }
        }
    }

    /** One response to a request sent byte for byte: status, headers by lower-case name, body. */
    record Raw(int status, java.util.Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> v = headers.get(name);
            return v == null ? null : v.get(0);
        }
    }

    /** GET {@code target} through the gateway over TLS with HTTP/1.1, the request line exactly as given. */
    static Raw raw(String target) throws Exception {
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) {
            }

            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        java.net.URI gateway = java.net.URI.create(PledgeSystem.GATEWAY);
        try (java.net.Socket socket = tls.getSocketFactory().createSocket(gateway.getHost(), gateway.getPort())) {
            socket.setSoTimeout(10_000);
            String request = "GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            String all = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            int split = all.indexOf("\r\n\r\n");
            assertThat(split).as("a complete response to %s: %s", target, all).isPositive();
            String[] lines = all.substring(0, split).split("\r\n");
            java.util.Map<String, List<String>> headers = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.computeIfAbsent(lines[i].substring(0, colon).trim(), k -> new ArrayList<>())
                        .add(lines[i].substring(colon + 1).trim());
            }
            return new Raw(Integer.parseInt(lines[0].split(" ")[1]), headers, all.substring(split + 4));
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
