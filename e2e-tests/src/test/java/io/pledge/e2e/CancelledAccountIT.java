package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pledge.events.EventJson;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Policy 6.5 (with 5.4's "no marketing meanwhile") across the packaged services: a downstream support team,
 * registered through the holder registry with its own OAuth client, holds a dispute on an account, and
 * account-service refuses the cancellation naming it; once the hold is lifted the cancellation is irreversible
 * (no login by either id), rights-request-service orchestrates its erasure to every holder, the team included, and
 * the signed certificate lists what is retained, with its legal basis and end date. While what the law requires is
 * kept, consent-service answers every holder's marketing check with ACCOUNT_CANCELLED, before and after the erasure.
 */
@ExtendWith(PledgeSystem.class)
class CancelledAccountIT {

    private static final List<String> INTERNAL = List.of("account-service", "consent-service", "notification-service",
            "audit-service");

    @Test
    @Tag("clause-6.5")
    @Tag("account-service")
    @Tag("rights-request-service")
    @SuppressWarnings("unchecked")
    void aHoldBlocksCancellationThenItIsIrreversibleReachesEveryHolderAndListsWhatIsRetained() throws Exception {
        String team = "support-" + PledgeSystem.RUN.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 6);
        JsonPath registered = rights(Subjects.officer()).body(Map.of("id", team, "kind", "DOWNSTREAM",
                        "categories", List.of("account"), "purposes", List.of("core-service"), "region", "CN",
                        "channel", "KAFKA",
                        "agreement", Map.of("matters", "customer support", "period", "P1Y", "nature", "processing",
                                "purpose", "core-service", "responsibilities", "erase on request", "documentRef", "DPA-65"),
                        "ackSlaSeconds", 3600, "signingKeys", List.of(ExternalHolder.publicJwk(team)),
                        "oauthScopes", List.of("hold:write")))
                .when().post("/v1/holders").then().statusCode(201).extract().jsonPath();
        ExternalHolder.registered(team, registered.getMap("kafka"));
        Map<String, Object> oauth = registered.getMap("oauth");
        String teamToken = Holders.clientToken(oauth, "account-service");

        try (ExternalHolder holder = new ExternalHolder(team, c -> "ERASED");
             KafkaConsumer<String, byte[]> events = Topics.tail("rights-request.events")) {
            Subjects.Person p = Subjects.register("held");
            String hold = given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(teamToken).contentType(ContentType.JSON)
                    .body(Map.of("kind", "DISPUTE")).when().post("/internal/v1/accounts/{id}/holds", p.id())
                    .then().statusCode(201).extract().path("holdId");
            // the hold blocks it, named; nothing changes
            account(p.access()).when().post("/v1/accounts/{id}/cancellation", p.id()).then().statusCode(409)
                    .contentType("application/problem+json").body("field", equalTo("holds"))
                    .body("errors.message", contains("DISPUTE"));
            account(p.access()).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200)
                    .body("status", equalTo("ACTIVE"));
            // a subject cannot lift it; the team that placed it does
            account(p.access()).when().delete("/internal/v1/accounts/{id}/holds/{h}", p.id(), hold).then().statusCode(403);
            given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(teamToken)
                    .when().delete("/internal/v1/accounts/{id}/holds/{h}", p.id(), hold).then().statusCode(200);

            account(p.access()).when().post("/v1/accounts/{id}/cancellation", p.id()).then().statusCode(201)
                    .body("status", equalTo("CANCELLED"));
            // irreversible at once: the token, and a login by either id
            account(p.access()).when().get("/v1/accounts/{id}", p.id()).then().statusCode(401);
            for (String login : List.of(p.mobile(), p.email())) {
                given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON)
                        .body(Map.of("login", login, "password", p.password()))
                        .when().post("/v1/sessions").then().statusCode(401);
            }

            // the erasure reaches every holder, the team included, and completes with a signed certificate
            List<Topics.Published> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                seen.addAll(Topics.drain(events, Duration.ofSeconds(1)));
                return seen.stream().anyMatch(e -> e.is("RightsRequestCompleted")
                        && p.id().toString().equals(e.body().path("subjectId").asText()));
            });
            UUID request = UUID.fromString(seen.stream().filter(e -> e.is("RightsRequestCompleted")
                    && p.id().toString().equals(e.body().path("subjectId").asText())).findFirst().orElseThrow()
                    .body().path("requestId").asText());
            assertThat(holder.received()).anyMatch(c -> c.requestId().equals(request.toString()));
            JsonPath cert = rights(Subjects.officer()).when().get("/v1/requests/{id}/certificate", request)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(Certificates.verifies(PledgeSystem.RIGHTS, cert)).as("certificate signature").isTrue();
            JsonNode payload = EventJson.mapper().readTree(cert.getString("payload"));
            List<String> certified = new ArrayList<>();
            payload.path("holders").forEach(h -> certified.add(h.path("holderId").asText()));
            assertThat(certified).containsAll(INTERNAL).contains(team);
            // what the law keeps is listed with its basis and end date: audit-service keeps the records of who read
            // this subject's data (its verification codes were read to be delivered), policy 5.2.3
            List<JsonNode> retained = new ArrayList<>();
            payload.path("holders").forEach(h -> h.path("retained").forEach(retained::add));
            assertThat(retained).isNotEmpty().allSatisfy(r -> {
                assertThat(r.path("category").asText()).isNotBlank();
                assertThat(r.path("legalBasis").asText()).isNotBlank();
                assertThat(java.time.LocalDate.parse(r.path("until").asText())).isAfter(java.time.LocalDate.now());
            });
        } finally {
            Holders.offboard(team);
        }
    }

    @Test
    void marketingStaysOffForACancelledAccountBeforeAndAfterItsErasure() throws Exception {
        Subjects.Person p = Subjects.register("cancel");
        for (String purpose : List.of("marketing-email", "profiling")) {
            given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(p.access()).contentType(ContentType.JSON)
                    .body(Map.of("purposeId", purpose, "decision", "GIVEN", "channel", "WEB"))
                    .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
        }
        String holder = Clients.service("notification-service", "consent-service", List.of("consent:check"));
        assertThat(check(holder, p.id(), "marketing-email").getString("reason")).isEqualTo("GRANTED");

        try (KafkaConsumer<String, byte[]> events = Topics.tail("rights-request.events")) {
            given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(p.access())
                    .when().post("/v1/accounts/{id}/cancellation", p.id()).then().statusCode(201);

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).until(() ->
                    "ACCOUNT_CANCELLED".equals(check(holder, p.id(), "marketing-email").getString("reason")));
            assertThat(check(holder, p.id(), "marketing-email").getBoolean("permitted")).isFalse();

            // the erasure the cancellation started reaches every holder, consent-service included; it completes,
            // and marketing stays off after it
            List<Topics.Published> seen = new ArrayList<>();
            await().atMost(Duration.ofSeconds(120)).until(() -> {
                seen.addAll(Topics.drain(events, Duration.ofSeconds(1)));
                return seen.stream().anyMatch(e -> e.is("RightsRequestCompleted")
                        && p.id().toString().equals(e.body().path("subjectId").asText()));
            });
            JsonPath after = check(holder, p.id(), "marketing-email");
            assertThat(after.getBoolean("permitted")).isFalse();
            assertThat(after.getString("reason")).isEqualTo("ACCOUNT_CANCELLED");
        }
    }

    private static RequestSpecification rights(String token) {
        return given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static RequestSpecification account(String token) {
        return given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static JsonPath check(String holderToken, UUID subject, String purpose) {
        return given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(holderToken).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", purpose))
                .when().post("/v1/checks").then().statusCode(200).extract().jsonPath();
    }
}
