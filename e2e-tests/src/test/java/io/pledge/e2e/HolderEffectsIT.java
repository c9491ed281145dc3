package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.HolderReplied;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * What holders do with a rights command, across the packaged services ({@link PledgeSystem}) and third-party holders
 * written on plain Kafka clients ({@link ExternalHolder}), each keeping its own store in memory and replying with
 * what it changed there. Billing, registered in the holder registry by a privacy officer signed in for real, reads a
 * subject's payment profile from account-service with the OAuth client the registry issued it; the subject's verified
 * deletion reaches billing and account-service, each replies with what it erased, and the signed certificate carries
 * both statements. A profiling holder gets the subject's withdrawal of {@code profiling} as a processing stop, stops
 * and acknowledges, and the subject still logs in and is served. Nothing of Pledge is faked.
 */
@ExtendWith(PledgeSystem.class)
class HolderEffectsIT {

    @Test
    @Tag("clause-2.1.1.3")
    @Tag("account-service")
    @Tag("rights-request-service")
    void billingIsARegisteredHolderThatAVerifiedErasureReachesAndItRepliesWithWhatItErased() throws Exception {
        // the billing system registers under its configured payment-holder id (pledge.account.payment.holders)
        String billing = "billing";
        JsonPath registered = register(billing, "AFFILIATE", List.of("payment"), List.of("billing"),
                List.of("payment:read"));
        ExternalHolder.registered(billing, registered.getMap("kafka"));
        Map<String, Object> oauth = registered.getMap("oauth");
        String token = Clients.token((String) oauth.get("clientId"), (String) oauth.get("clientSecret"),
                "account-service", List.of("payment:read"));

        Subjects.Person p = register("billing");
        Map<String, Object> profile = new LinkedHashMap<>();
        profile.put("method", "ALIPAY");
        profile.put("providerToken", "alipay-agr-" + UUID.randomUUID());
        profile.put("invoiceTitle", "Invoice " + UUID.randomUUID().toString().substring(0, 8));
        given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(p.access()).contentType(ContentType.JSON).body(profile)
                .when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(200);

        // billing's own store: the profile it read for billing, and the invoice it issued from it
        Map<UUID, List<String>> store = new ConcurrentHashMap<>();
        String read = given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(token)
                .when().get("/internal/v1/payment-profiles/{id}?purposeId=billing", p.id()).then().statusCode(200)
                .extract().path("profile.providerToken");
        assertThat(read).isEqualTo(profile.get("providerToken"));
        store.put(p.id(), new ArrayList<>(List.of("payment-profile-copy", "invoice-1")));

        try (ExternalHolder holder = new ExternalHolder(billing, c -> null)) {
            UUID request = submitAndVerify(p, Map.of("type", "DELETION", "ground", "6.3.4"));
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.received().stream()
                    .anyMatch(c -> c.requestId().equals(request.toString())));
            ExternalHolder.Command cmd = holder.received().stream()
                    .filter(c -> c.requestId().equals(request.toString())).findFirst().orElseThrow();
            assertThat(cmd.type()).endsWith("ErasureRequested.v1");
            List<String> categories = new ArrayList<>();
            cmd.body().path("categories").forEach(c -> categories.add(c.asText()));
            assertThat(categories).contains("payment");

            // billing erases what it holds of the subject and says how much
            List<String> erased = store.remove(p.id());
            HolderReplied reply = new HolderReplied(request, billing, p.id(), "ErasureRequested", "ERASED",
                    Map.of("payment", erased.size()), null, null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            holder.send(EventTypes.HOLDER_REPLIED, holder.signed(reply), UUID.randomUUID().toString());
            assertThat(store).doesNotContainKey(p.id());

            JsonPath done = awaitStatus(request, "COMPLETED", Duration.ofSeconds(120));
            Map<String, Object> billingEntry = entry(done, billing);
            assertThat(billingEntry).containsEntry("status", "FINAL").containsEntry("outcome", "ERASED");
            assertThat(entry(done, "account-service")).containsEntry("outcome", "ERASED");

            // the certificate carries each holder's statement: billing's count and account-service's payment profile
            JsonPath cert = rights(p.access()).when().get("/v1/requests/{id}/certificate", request)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(Certificates.verifies(PledgeSystem.RIGHTS, cert)).isTrue();
            JsonNode payload = EventJson.mapper().readTree(cert.getString("payload"));
            Map<String, JsonNode> byHolder = new HashMap<>();
            payload.path("holders").forEach(h -> byHolder.put(h.path("holderId").asText(), h));
            assertThat(byHolder).containsKeys(billing, "account-service");
            assertThat(byHolder.get(billing).path("counts").path("payment").asInt()).isEqualTo(2);
            assertThat(byHolder.get(billing).path("reply").path("signature").asText()).isNotBlank();
            assertThat(byHolder.get("account-service").path("counts").path("payment").asInt()).isEqualTo(1);

            // and the profile is gone at its source: billing's client finds none
            given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(Clients.token((String) oauth.get("clientId"),
                            (String) oauth.get("clientSecret"), "account-service", List.of("payment:read")))
                    .when().get("/internal/v1/payment-profiles/{id}?purposeId=billing", p.id()).then().statusCode(404)
                    .contentType("application/problem+json");
        } finally {
            offboard(billing);
        }
    }

    @Test
    @Tag("clause-2.2.2")
    @Tag("consent-service")
    @Tag("rights-request-service")
    void aWithdrawnProfilingConsentStopsTheProfilingHolderAndTheAccountStillWorks() throws Exception {
        String profiler = "portraits-" + PledgeSystem.RUN.toLowerCase();
        JsonPath registered = register(profiler, "DOWNSTREAM", List.of("usage"), List.of("profiling"), null);
        ExternalHolder.registered(profiler, registered.getMap("kafka"));
        Subjects.Person p = register("portrait");
        consent(p, "profiling", "GIVEN");
        String checker = Clients.service("notification-service", "consent-service", List.of("consent:check"));
        assertThat(check(checker, p.id(), "profiling").getBoolean("permitted")).isTrue();
        // the profiling holder's store: a portrait of the subject built while consent was given
        Map<UUID, String> portraits = new ConcurrentHashMap<>();
        portraits.put(p.id(), "portrait");

        try (ExternalHolder holder = new ExternalHolder(profiler, c -> null)) {
            consent(p, "profiling", "WITHDRAWN");
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.received().stream().anyMatch(c ->
                    c.type().endsWith("ProcessingStopRequested.v1") && p.id().toString().equals(c.body().path("subjectId").asText())));
            ExternalHolder.Command stop = holder.received().stream().filter(c ->
                    c.type().endsWith("ProcessingStopRequested.v1")
                            && p.id().toString().equals(c.body().path("subjectId").asText())).findFirst().orElseThrow();
            assertThat(stop.body().path("purposeId").asText()).isEqualTo("profiling");

            // it stops: the portrait goes, and it acknowledges with what it changed
            int stopped = portraits.remove(p.id()) == null ? 0 : 1;
            HolderReplied reply = new HolderReplied(UUID.fromString(stop.requestId()), profiler, p.id(),
                    "ProcessingStopRequested", "APPLIED", Map.of("portrait", stopped), null, null, null,
                    Instant.now().truncatedTo(ChronoUnit.MILLIS));
            holder.send(EventTypes.HOLDER_REPLIED, holder.signed(reply), UUID.randomUUID().toString());
            UUID request = UUID.fromString(stop.requestId());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                Map<String, Object> e = entry(rights(Subjects.officer()).when().get("/v1/requests/{id}", request).then()
                        .statusCode(200).extract().jsonPath(), profiler);
                return "FINAL".equals(e.get("status"));
            });
            JsonPath view = rights(Subjects.officer()).when().get("/v1/requests/{id}", request).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(view.getString("type")).isEqualTo("CONSENT_SCOPE");
            assertThat(view.getString("subjectId")).isEqualTo(p.id().toString());
            assertThat(entry(view, profiler)).containsEntry("outcome", "APPLIED");
            assertThat(portraits).isEmpty();
            assertThat(check(checker, p.id(), "profiling").getBoolean("permitted")).isFalse();

            // the withdrawal never touches the core service (policy 2.2.2): the subject logs in and is served
            String access = given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON)
                    .body(Map.of("login", p.mobile(), "password", p.password()))
                    .when().post("/v1/sessions").then().statusCode(201).extract().path("accessToken");
            given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(access).when().get("/v1/accounts/{id}", p.id())
                    .then().statusCode(200).body("status", org.hamcrest.Matchers.equalTo("ACTIVE"));
            JsonPath core = check(checker, p.id(), "core-service");
            assertThat(core.getBoolean("permitted")).isTrue();
            given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(access).when().get("/v1/consents/{s}", p.id())
                    .then().statusCode(200);
        } finally {
            offboard(profiler);
        }
    }

    // ---- helpers

    /**
     * A registered subject. When this class runs first in a fresh system, notification-service writes its client secret
     * (which {@link Subjects#code} reads to fetch the codes) only once the first registration makes it send a notice:
     * the first registrations are retried until that secret is there.
     */
    private static Subjects.Person register(String tag) {
        Subjects.Person[] p = new Subjects.Person[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1))
                .ignoreException(java.nio.file.NoSuchFileException.class).until(() -> {
                    p[0] = Subjects.register(tag);
                    return true;
                });
        return p[0];
    }

    private static RequestSpecification rights(String token) {
        return given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static JsonPath register(String id, String kind, List<String> categories, List<String> purposes,
                                     List<String> oauthScopes) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("kind", kind);
        body.put("categories", categories);
        body.put("purposes", purposes);
        body.put("region", "CN");
        body.put("channel", "KAFKA");
        body.put("agreement", Map.of("matters", id, "period", "P1Y", "nature", "processing",
                "purpose", purposes.get(0), "responsibilities", "erase and stop on request", "documentRef", "DPA-" + id));
        body.put("ackSlaSeconds", 3600);
        body.put("signingKeys", List.of(ExternalHolder.publicJwk(id)));
        if (oauthScopes != null) {
            body.put("oauthScopes", oauthScopes);
        }
        return rights(Subjects.officer()).body(body).when().post("/v1/holders").then().statusCode(201)
                .extract().jsonPath();
    }

    private static void offboard(String holderId) throws Exception {
        rights(Subjects.officer()).when().post("/v1/holders/{id}/offboarding", holderId).then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(202), org.hamcrest.Matchers.is(409)));
    }

    private static void consent(Subjects.Person p, String purpose, String decision) {
        given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(p.access()).contentType(ContentType.JSON)
                .body(Map.of("purposeId", purpose, "decision", decision, "channel", "WEB"))
                .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
    }

    private static JsonPath check(String holderToken, UUID subject, String purpose) {
        return given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(holderToken).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", purpose))
                .when().post("/v1/checks").then().statusCode(200).extract().jsonPath();
    }

    private static Map<String, Object> entry(JsonPath request, String holderId) {
        return request.<Map<String, Object>>getList("holders").stream().filter(h -> holderId.equals(h.get("holderId")))
                .findFirst().orElseThrow(() -> new AssertionError(holderId + " is not among the request's holders"));
    }

    private static UUID submitAndVerify(Subjects.Person p, Map<String, Object> request) throws Exception {
        JsonPath submitted = rights(p.access()).body(request).when().post("/v1/requests").then().statusCode(201)
                .extract().jsonPath();
        UUID id = UUID.fromString(submitted.getString("request.requestId"));
        UUID verification = UUID.fromString(submitted.getString("verification.verificationId"));
        rights(p.access()).body(Map.of("code", Subjects.code(verification)))
                .when().post("/v1/requests/{id}/verification", id).then().statusCode(200);
        return id;
    }

    private static JsonPath awaitStatus(UUID request, String status, Duration within) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = rights(Subjects.officer()).when().get("/v1/requests/{id}", request).then().statusCode(200)
                    .extract().jsonPath();
            return status.equals(last[0].getString("status"));
        });
        return last[0];
    }
}
