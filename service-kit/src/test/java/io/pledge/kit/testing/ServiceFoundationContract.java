package io.pledge.kit.testing;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.containsString;

import io.agroal.api.AgroalDataSource;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.quarkus.arc.Arc;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.spi.Bean;
import jakarta.ws.rs.HttpMethod;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eclipse.microprofile.config.ConfigProvider;
import io.smallrye.jwt.build.Jwt;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What every Pledge service must do from its first day, run by each service's own
 * {@code @QuarkusTest} subclass against the real PostgreSQL database and the real Kafka broker
 * that {@code deploy/local} starts: it migrated its own database, reports UP with database and
 * Kafka checks, serves OpenAPI and metrics, verifies tokens, and answers every kind of bad
 * request with an RFC 9457 problem (a key given twice, a scalar of the wrong kind and a body without
 * {@code application/json} included) that names the request by its id and never echoes the path. Nothing is faked but the signing key of tokens (see
 * {@link #token}).
 */
public abstract class ServiceFoundationContract {

    private static final String PROBLEM = "application/problem+json";

    @Inject
    AgroalDataSource dataSource;

    /** The database this service owns, e.g. {@code pledge_account}. */
    protected abstract String database();

    /** A subject or staff token this service accepts; by default minted with the test key every %test profile trusts. */
    protected String token(String subject, Set<String> roles, Duration validFor) {
        return TestTokens.token(subject, roles, validFor);
    }

    /** A client token (role {@code holder}) with that audience and those scopes, signed like {@link #token}. */
    protected String clientToken(String client, String audience, Set<String> scopes, Duration validFor) {
        return TestTokens.client(client, audience, scopes, validFor);
    }

    /** A token with any claims, signed like {@link #token} (an empty audience set: no {@code aud}). */
    protected String mint(String subject, Set<String> roles, Set<String> audiences, Set<String> scopes, Duration validFor) {
        return TestTokens.mint(subject, roles, audiences, scopes, validFor);
    }

    /** This service's name: the audience its client tokens carry. */
    protected static String service() {
        return ConfigProvider.getConfig().getValue("quarkus.application.name", String.class);
    }

    private String holderToken() {
        return clientToken("holder-" + UUID.randomUUID(), service(), Set.of(Scopes.TOKEN_INTROSPECT), Duration.ofMinutes(5));
    }

    @Test
    void readinessIsUpWithDatabaseAndKafkaChecks() {
        given().when().get("/q/health/ready").then()
                .statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")))
                .body("checks.name", hasItem(containsString("Kafka")));
        given().when().get("/q/health/live").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void migratedItsOwnDatabase() throws SQLException {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("select current_database(), current_user")) {
                rs.next();
                assertThat(rs.getString(1)).isEqualTo(database() + "_test"); // the test twin of its own database
                assertThat(rs.getString(2)).isEqualTo(database());
            }
            try (ResultSet rs = s.executeQuery(
                    "select count(*) from flyway_schema_history where success and script like '%V0_1__kit%'")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(1);
            }
            try (ResultSet rs = s.executeQuery("select count(*) from flyway_schema_history where not success")) {
                rs.next();
                assertThat(rs.getInt(1)).isZero();
            }
        }
    }

    @Test
    void servesOpenApiSwaggerAndPrometheusMetrics() {
        given().accept("application/json").when().get("/q/openapi").then()
                .statusCode(200).body("paths", org.hamcrest.Matchers.hasKey("/v1/session"));
        given().when().get("/q/swagger-ui/").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("jvm_memory_used_bytes"))
                .body(containsString("http_server_requests_seconds"));
    }

    @Test
    void unknownRouteIsAProblemNamingTheRequestNotThePath() {
        String subject = UUID.randomUUID().toString();
        for (String path : new String[] {"/no/such/route/" + subject, "/v1/no-such-resource/" + subject}) {
            String requestId = "req-" + UUID.randomUUID();
            given().header("X-Request-Id", requestId).when().get(path).then()
                    .statusCode(404).contentType(PROBLEM)
                    .header("X-Request-Id", requestId)
                    .body("type", equalTo("urn:pledge:problem:not-found"))
                    .body("status", equalTo(404))
                    .body("instance", equalTo("urn:pledge:request:" + requestId))
                    .body(not(containsString(subject)));
        }
        // without an id of the caller's, the problem names the fresh one the response carries
        io.restassured.response.Response r = given().when().get("/no/such/route/" + subject);
        r.then().statusCode(404).body(not(containsString(subject)));
        assertThat(r.jsonPath().getString("instance")).isEqualTo("urn:pledge:request:" + r.header("X-Request-Id"));
    }

    @Test
    void malformedJsonIsA400Problem() {
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body("{\"token\": ")
                .when().post("/v1/tokens/introspect").then()
                .statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:malformed-json"))
                .body("detail", not(containsString("Exception")))
                .body("$", not(org.hamcrest.Matchers.hasKey("stackTrace")));
    }

    @Test
    void missingOrUnknownFieldsAre400Problems() {
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body("{}")
                .when().post("/v1/tokens/introspect").then()
                .statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:invalid-input"))
                .body("field", equalTo("token"));
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body("{\"token\":\"x\",\"extra\":1}")
                .when().post("/v1/tokens/introspect").then()
                .statusCode(400).contentType(PROBLEM)
                .body("field", equalTo("extra"));
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body("{\"token\":\"" + "a".repeat(9000) + "\"}")
                .when().post("/v1/tokens/introspect").then()
                .statusCode(400).contentType(PROBLEM).body("field", equalTo("token"));
    }

    @Test
    void aKeyGivenTwiceIsA400ProblemNamingIt() {
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body("{\"token\":\"a\",\"token\":\"b\"}")
                .when().post("/v1/tokens/introspect").then()
                .statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:invalid-input"))
                .body("field", equalTo("token"));
    }

    @Test
    void scalarsOfTheWrongKindAreNotCoerced() {
        for (String value : new String[] {"1", "1.5", "true", "[\"x\"]", "{\"t\":\"x\"}"}) {
            given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body("{\"token\":" + value + "}")
                    .when().post("/v1/tokens/introspect").then()
                    .statusCode(400).contentType(PROBLEM)
                    .body("type", equalTo("urn:pledge:problem:invalid-input"))
                    .body("field", equalTo("token"));
        }
    }

    @Test
    void wrongOrMissingContentTypeIsA415Problem() throws IOException, InterruptedException {
        // java.net.http sends exactly the Content-Type given, or none (RestAssured would add or refuse some)
        for (String type : new String[] {"text/plain", "text/json", "application/jsonx", "application/xml", null}) {
            HttpResponse<String> r = rawIntrospect(type, "{\"token\":\"x\"}");
            assertThat(r.request().headers().firstValue("Content-Type")).isEqualTo(java.util.Optional.ofNullable(type));
            assertThat(r.statusCode()).as("Content-Type %s", type).isEqualTo(415);
            assertThat(r.headers().firstValue("Content-Type")).hasValue(PROBLEM);
            assertThat(r.body()).contains("urn:pledge:problem:unsupported-media-type");
        }
        // application/json with a charset, in any case, is JSON
        HttpResponse<String> ok = rawIntrospect("Application/JSON; charset=UTF-8", "{\"token\":\"x\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).contains("\"active\":false");
    }

    private HttpResponse<String> rawIntrospect(String contentType, String body) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + RestAssured.port + "/v1/tokens/introspect"))
                .header("Authorization", "Bearer " + holderToken())
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void wrongMethodIsA405ProblemThatDoesNotEchoThePath() {
        given().auth().oauth2(holderToken()).when().delete("/v1/session").then()
                .statusCode(405).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:method-not-allowed"))
                .body("detail", not(containsString("/v1/session")))
                .body("instance", org.hamcrest.Matchers.startsWith("urn:pledge:request:"));
    }

    @Test
    void oversizedBodyIsA413ProblemBeforeItIsRead() {
        String big = "{\"token\":\"" + "a".repeat(300 * 1024) + "\"}";
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body(big)
                .when().post("/v1/tokens/introspect").then()
                .statusCode(413).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:payload-too-large"));
    }

    @Test
    void verifiedTokenIdentifiesTheCaller() {
        String subject = UUID.randomUUID().toString();
        given().auth().oauth2(token(subject, Set.of(Roles.SUBJECT), Duration.ofMinutes(5)))
                .when().get("/v1/session").then()
                .statusCode(200)
                .body("subject", equalTo(subject))
                .body("roles", hasItem(Roles.SUBJECT))
                .body("issuer", equalTo(Roles.ISSUER));
    }

    @Test
    void missingExpiredTamperedOrForeignTokensAre401Problems() throws NoSuchAlgorithmException {
        io.restassured.response.Response none = given().when().get("/v1/session");
        none.then().statusCode(401).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:unauthorized"));
        assertThat(none.jsonPath().getString("instance")).isEqualTo("urn:pledge:request:" + none.header("X-Request-Id"));

        String expired = token(UUID.randomUUID().toString(), Set.of(Roles.SUBJECT), Duration.ofMinutes(-5));
        given().auth().oauth2(expired).when().get("/v1/session").then().statusCode(401).contentType(PROBLEM);

        String good = token(UUID.randomUUID().toString(), Set.of(Roles.SUBJECT), Duration.ofMinutes(5));
        String[] parts = good.split("\\.");
        String otherClaims = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"iss\":\"" + Roles.ISSUER + "\",\"sub\":\"someone-else\",\"groups\":[\"privacy-officer\"],\"exp\":"
                        + (System.currentTimeMillis() / 1000 + 300) + "}").getBytes());
        String tampered = parts[0] + "." + otherClaims + "." + parts[2];
        given().auth().oauth2(tampered).when().get("/v1/session").then().statusCode(401).contentType(PROBLEM);

        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        KeyPair foreign = gen.generateKeyPair();
        String foreignSigned = Jwt.issuer(Roles.ISSUER).subject("intruder").groups(Roles.PRIVACY_OFFICER)
                .expiresIn(300).sign(foreign.getPrivate());
        given().auth().oauth2(foreignSigned).when().get("/v1/session").then().statusCode(401).contentType(PROBLEM);
    }

    @Test
    void introspectionNeedsAHolderRoleAndAnswersForAnyToken() {
        String subjectToken = token(UUID.randomUUID().toString(), Set.of(Roles.SUBJECT), Duration.ofMinutes(5));
        given().auth().oauth2(subjectToken).contentType(ContentType.JSON).body("{\"token\":\"x\"}")
                .when().post("/v1/tokens/introspect").then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON).body("{\"token\":\"not-a-jwt\"}")
                .when().post("/v1/tokens/introspect").then().statusCode(200).body("active", equalTo(false));
        given().auth().oauth2(holderToken()).contentType(ContentType.JSON)
                .body("{\"token\":\"" + subjectToken + "\"}")
                .when().post("/v1/tokens/introspect").then().statusCode(200)
                .body("active", equalTo(true)).body("roles", hasItem(Roles.SUBJECT));
    }

    @Test
    void aTokenForAnotherAudienceOrForNoneIsA401Problem() {
        String other = Scopes.SERVICES.stream().filter(x -> !x.equals(service())).findFirst().orElseThrow();
        String subject = UUID.randomUUID().toString();
        for (Set<String> audience : List.of(Set.of(other), Set.of("https://elsewhere.example"), Set.<String>of())) {
            given().auth().oauth2(mint(subject, Set.of(Roles.SUBJECT), audience, Set.of(), Duration.ofMinutes(5)))
                    .when().get("/v1/session").then().statusCode(401).contentType(PROBLEM)
                    .body("type", equalTo("urn:pledge:problem:unauthorized"));
        }
        // a client token of another service's audience is refused here even with the right scope
        given().auth().oauth2(clientToken("holder-" + UUID.randomUUID(), other, Set.of(Scopes.TOKEN_INTROSPECT), Duration.ofMinutes(5)))
                .contentType(ContentType.JSON).body("{\"token\":\"x\"}")
                .when().post("/v1/tokens/introspect").then().statusCode(401).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:unauthorized"));
    }

    @Test
    void aClientTokenNeedsThisServiceAsAudienceAndTheEndpointsScope() {
        String client = "holder-" + UUID.randomUUID();
        // the public audience is for subjects and staff: a client token must name this service
        given().auth().oauth2(mint(client, Set.of(Roles.HOLDER), Set.of(Scopes.PUBLIC_AUDIENCE),
                        Set.of(Scopes.TOKEN_INTROSPECT), Duration.ofMinutes(5)))
                .contentType(ContentType.JSON).body("{\"token\":\"x\"}")
                .when().post("/v1/tokens/introspect").then().statusCode(403).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:forbidden"));
        // this service's audience without the scope, or with only another one
        for (Set<String> scopes : List.of(Set.<String>of(), Set.of(Scopes.CONSENT_CHECK, Scopes.ACCOUNT_EXPORT_READ))) {
            given().auth().oauth2(clientToken(client, service(), scopes, Duration.ofMinutes(5)))
                    .contentType(ContentType.JSON).body("{\"token\":\"x\"}")
                    .when().post("/v1/tokens/introspect").then().statusCode(403).contentType(PROBLEM)
                    .body("type", equalTo("urn:pledge:problem:forbidden"));
        }
        given().auth().oauth2(clientToken(client, service(), Set.of(Scopes.TOKEN_INTROSPECT), Duration.ofMinutes(5)))
                .contentType(ContentType.JSON).body("{\"token\":\"x\"}")
                .when().post("/v1/tokens/introspect").then().statusCode(200).body("active", equalTo(false));
    }

    /** Every REST endpoint a client token may reach names its clients and scope, and the scope is one of this service's. */
    @Test
    void everyEndpointOpenToClientsNamesTheClientsAndTheScope() {
        List<String> unnamed = new ArrayList<>();
        List<String> foreign = new ArrayList<>();
        int named = 0;
        for (Bean<?> bean : Arc.container().beanManager().getBeans(Object.class, Any.Literal.INSTANCE)) {
            Class<?> type = bean.getBeanClass();
            if (!type.isAnnotationPresent(jakarta.ws.rs.Path.class) || !type.getName().startsWith("io.pledge.")) {
                continue;
            }
            for (Method m : type.getDeclaredMethods()) {
                if (Arrays.stream(m.getAnnotations()).noneMatch(ServiceFoundationContract::isHttpMethod)) {
                    continue;
                }
                RolesAllowed roles = m.isAnnotationPresent(RolesAllowed.class) ? m.getAnnotation(RolesAllowed.class)
                        : type.getAnnotation(RolesAllowed.class);
                if (roles == null || !List.of(roles.value()).contains(Roles.HOLDER)) {
                    continue;
                }
                AllowedClients rule = m.isAnnotationPresent(AllowedClients.class) ? m.getAnnotation(AllowedClients.class)
                        : type.getAnnotation(AllowedClients.class);
                if (rule == null || rule.value().length == 0) {
                    unnamed.add(type.getSimpleName() + "." + m.getName());
                    continue;
                }
                named++;
                String audience = Scopes.AUDIENCE.get(rule.scope());
                if (!service().equals(audience) && !Scopes.ANY_SERVICE.equals(audience)) {
                    foreign.add(type.getSimpleName() + "." + m.getName() + " needs " + rule.scope());
                }
            }
        }
        assertThat(unnamed).as("endpoints open to holder tokens without @AllowedClients").isEmpty();
        assertThat(foreign).as("endpoints needing a scope meant for another service").isEmpty();
        assertThat(named).as("at least POST /v1/tokens/introspect is open to clients").isPositive();
    }

    private static boolean isHttpMethod(Annotation a) {
        return a.annotationType().isAnnotationPresent(HttpMethod.class);
    }
}
