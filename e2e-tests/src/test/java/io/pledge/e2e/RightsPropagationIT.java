package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
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
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The holder protocol across the packaged services ({@link PledgeSystem}) and a downstream team's
 * holder written on plain Kafka clients ({@link ExternalHolder}): a verified deletion reaches
 * account-, consent-, notification- and audit-service and the external holder; each replies; the
 * signed certificate lists every one of them. A silent holder blocks completion and is escalated by
 * name until it is offboarded; a duplicate reply changes nothing; rights-request-service killed with
 * SIGKILL between its commands and the replies completes every request once after its restart.
 */
@ExtendWith(PledgeSystem.class)
class RightsPropagationIT {

    private static final List<String> INTERNAL = List.of("account-service", "consent-service", "notification-service",
            "audit-service");

    @Test
    @Tag("clause-6.3")
    @Tag("clause-10.2")
    @Tag("rights-request-service")
    void aVerifiedDeletionReachesEveryHolderAndEndsInASignedCertificateNamingThemAll() throws Exception {
        String external = "analytics-" + PledgeSystem.RUN;
        register(external, 3600);
        try (ExternalHolder holder = new ExternalHolder(external, c -> "ERASED");
             KafkaConsumer<String, byte[]> events = Topics.tail("rights-request.events")) {
            Subjects.Person p = Subjects.register("erase");
            given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(p.access()).contentType(ContentType.JSON)
                    .body(Map.of("purposeId", "marketing-email", "decision", "GIVEN", "channel", "WEB"))
                    .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);

            UUID request = submitAndVerify(p, Map.of("type", "DELETION", "ground", "6.3.4"));
            // the external holder answers twice, as an at-least-once producer may: the second changes nothing
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.received().stream()
                    .anyMatch(c -> c.requestId().equals(request.toString())));
            ExternalHolder.Command cmd = holder.received().stream()
                    .filter(c -> c.requestId().equals(request.toString())).findFirst().orElseThrow();
            holder.reply(cmd, "ERASED");
            JsonPath done = awaitStatus(p.access(), request, "COMPLETED", Duration.ofSeconds(120));
            List<Map<String, Object>> holders = done.getList("holders");
            assertThat(holders).extracting(h -> h.get("holderId")).containsAll(INTERNAL).contains(external);
            assertThat(holders).allSatisfy(h -> assertThat(h.get("status")).isEqualTo("FINAL"));

            JsonPath cert = rights(p.access()).when().get("/v1/requests/{id}/certificate", request)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(Certificates.verifies(PledgeSystem.RIGHTS, cert)).as("certificate signature").isTrue();
            JsonNode payload = EventJson.mapper().readTree(cert.getString("payload"));
            Set<String> certified = new java.util.HashSet<>();
            payload.path("holders").forEach(h -> certified.add(h.path("holderId").asText()));
            assertThat(certified).containsAll(INTERNAL).contains(external);
            assertThat(payload.path("subjectId").asText()).isEqualTo(p.id().toString());
            payload.path("holders").forEach(h -> assertThat(h.path("outcome").asText()).isNotBlank());

            List<JsonNode> completed = Topics.about(Topics.drain(events, Duration.ofSeconds(10)), "RightsRequestCompleted", request);
            assertThat(completed).as("RightsRequestCompleted for the request").hasSize(1);
            // the account is gone: the password no longer logs in
            given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON)
                    .body(Map.of("login", p.mobile(), "password", p.password()))
                    .when().post("/v1/sessions").then().statusCode(401);
            // another subject cannot read the request or its certificate
            Subjects.Person other = Subjects.register("other");
            rights(other.access()).when().get("/v1/requests/{id}", request).then().statusCode(404)
                    .contentType("application/problem+json");
            rights(other.access()).when().get("/v1/requests/{id}/certificate", request).then().statusCode(404);
        } finally {
            offboard(external);
        }
    }

    @Test
    @Tag("clause-6.3")
    @Tag("clause-4.1")
    @Tag("rights-request-service")
    void aSilentHolderIsEscalatedByNameAndItsOffboardingResolvesTheRequest() throws Exception {
        String silent = "silent-" + PledgeSystem.RUN;
        register(silent, 60);
        try (ExternalHolder holder = new ExternalHolder(silent, c -> null);
             KafkaConsumer<String, byte[]> events = Topics.tail("rights-request.events")) {
            Subjects.Person p = Subjects.register("silent");
            UUID request = submitAndVerify(p, Map.of("type", "DELETION", "ground", "6.3.1"));
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.received().stream()
                    .anyMatch(c -> c.requestId().equals(request.toString())));

            // every internal holder answers; the request still waits for the silent one, then escalates it by name
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(2)).until(() ->
                    escalations().stream().anyMatch(e -> request.toString().equals(e.get("requestId"))
                            && silent.equals(e.get("holderId"))));
            JsonPath waiting = rights(p.access()).when().get("/v1/requests/{id}", request).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(waiting.getString("status")).isEqualTo("IN_PROGRESS");
            assertThat(waiting.getList("holders", Map.class)).filteredOn(h -> INTERNAL.contains(h.get("holderId")))
                    .allSatisfy(h -> assertThat(h.get("status")).isEqualTo("FINAL"));
            List<JsonNode> escalated = Topics.about(Topics.drain(events, Duration.ofSeconds(10)), "HolderEscalated", request);
            assertThat(escalated).isNotEmpty()
                    .allSatisfy(e -> assertThat(e.path("holderId").asText()).isEqualTo(silent));

            offboard(silent);
            JsonPath done = awaitStatus(p.access(), request, "COMPLETED", Duration.ofSeconds(60));
            Map<String, Object> entry = done.getList("holders", Map.class).stream()
                    .filter(h -> silent.equals(h.get("holderId"))).findFirst().orElseThrow();
            assertThat(entry.get("resolvedByOffboarding")).isNotNull();
            assertThat(holder.received()).anyMatch(c -> c.type().endsWith("HolderOffboardingRequested.v1"));

            // a later request no longer expects the offboarded holder
            Subjects.Person later = Subjects.register("later");
            UUID next = submitAndVerify(later, Map.of("type", "DELETION", "ground", "6.3.1"));
            JsonPath nextDone = awaitStatus(later.access(), next, "COMPLETED", Duration.ofSeconds(120));
            assertThat(nextDone.getList("holders", Map.class)).extracting(h -> h.get("holderId"))
                    .doesNotContain(silent);
        }
    }

    @Test
    @Tag("clause-6.3")
    @Tag("rights-request-service")
    void requestsInFlightWhenTheServiceIsKilledCompleteOnceAfterItsRestart() throws Exception {
        String gated = "gated-" + PledgeSystem.RUN;
        register(gated, 3600);
        try (ExternalHolder holder = new ExternalHolder(gated, c -> null);
             KafkaConsumer<String, byte[]> events = Topics.tail("rights-request.events")) {
            List<Subjects.Person> people = new ArrayList<>();
            List<UUID> requests = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Subjects.Person p = Subjects.register("crash" + i);
                people.add(p);
                requests.add(submitAndVerify(p, Map.of("type", "DELETION", "ground", "6.3.2")));
            }
            Set<String> ids = requests.stream().map(UUID::toString).collect(Collectors.toSet());
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.received().stream()
                    .map(ExternalHolder.Command::requestId).collect(Collectors.toSet()).containsAll(ids));

            PledgeSystem.kill(PledgeSystem.RIGHTS);
            for (ExternalHolder.Command c : holder.received()) {
                if (ids.contains(c.requestId())) {
                    holder.reply(c, "ERASED");
                }
            }
            PledgeSystem.restart(PledgeSystem.RIGHTS);

            for (int i = 0; i < requests.size(); i++) {
                awaitStatus(people.get(i).access(), requests.get(i), "COMPLETED", Duration.ofSeconds(120));
            }
            // read on a while, so that a duplicate completion would show, were there one
            List<Topics.Published> published = Topics.drain(events, Duration.ofSeconds(8));
            for (UUID r : requests) {
                assertThat(Topics.about(published, "RightsRequestCompleted", r)).as("completions of %s", r).hasSize(1);
                rights(Subjects.officer()).when().get("/v1/requests/{id}/certificate", r).then().statusCode(200);
            }
        } finally {
            offboard(gated);
        }
    }

    // ---- helpers

    private static RequestSpecification rights(String token) {
        return given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static void register(String holderId, long ackSlaSeconds) throws Exception {
        ExternalHolder.registered(holderId, rights(Subjects.officer()).body(Map.of("id", holderId, "kind", "DOWNSTREAM",
                        "categories", List.of("account", "contact", "profile"), "purposes", List.of("profiling"),
                        "region", "CN", "channel", "KAFKA",
                        "agreement", Map.of("matters", "user analytics", "period", "P1Y", "nature", "processing",
                                "purpose", "profiling", "responsibilities", "erase on request", "documentRef", "DPA-7"),
                        "ackSlaSeconds", ackSlaSeconds))
                .when().post("/v1/holders").then().statusCode(201)
                .extract().path("kafka"));
    }

    private static void offboard(String holderId) throws Exception {
        rights(Subjects.officer()).when().post("/v1/holders/{id}/offboarding", holderId).then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(202), org.hamcrest.Matchers.is(409)));
    }

    private static List<Map<String, Object>> escalations() throws Exception {
        return rights(Subjects.officer()).when().get("/v1/operator/escalations").then().statusCode(200)
                .extract().jsonPath().getList("$");
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

    private static JsonPath awaitStatus(String token, UUID request, String status, Duration within) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(within).pollInterval(Duration.ofSeconds(1)).until(() -> {
            last[0] = rights(token).when().get("/v1/requests/{id}", request).then().statusCode(200).extract().jsonPath();
            return status.equals(last[0].getString("status"));
        });
        return last[0];
    }
}
