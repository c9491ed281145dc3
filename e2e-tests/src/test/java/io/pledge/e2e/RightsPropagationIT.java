package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.HolderReplied;
import io.pledge.events.rights.ReplySignatures;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
 * name until it is offboarded and acknowledges its offboarding; a duplicate reply changes nothing; rights-request-service killed with
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
            Holders.offboard(external);
        }
    }

    @Test
    @Tag("clause-6.3")
    @Tag("clause-10.2")
    @Tag("rights-request-service")
    void aForgedReplyOnTheBrokerIsRefusedEscalatedAndKeptOutOfTheCertificateWhileTheGenuineOneCompletesIt()
            throws Exception {
        String external = "forged-" + PledgeSystem.RUN;
        register(external, 3600);
        try (ExternalHolder holder = new ExternalHolder(external, c -> null)) {
            Subjects.Person p = Subjects.register("forged");
            UUID request = submitAndVerify(p, Map.of("type", "DELETION", "ground", "6.3.4"));
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.received().stream()
                    .anyMatch(c -> c.requestId().equals(request.toString())));
            ExternalHolder.Command cmd = holder.received().stream()
                    .filter(c -> c.requestId().equals(request.toString())).findFirst().orElseThrow();
            // a forger on the broker, in the right format and naming the holder: unsigned, then signed by a key of
            // its own, then under the holder's key id
            HolderReplied forged = new HolderReplied(request, external, p.id(), "ErasureRequested", "ERASED",
                    Map.of("analytics-profile", 1), null, null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
            holder.send(EventTypes.HOLDER_REPLIED, forged, UUID.randomUUID().toString());
            KeyPair forger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            HolderReplied ownKey = ReplySignatures.sign(forged, ReplySignatures.thumbprintOf(forger.getPublic()),
                    forger.getPrivate());
            holder.send(EventTypes.HOLDER_REPLIED, ownKey, UUID.randomUUID().toString());
            String holderKid = (String) ExternalHolder.publicJwk(external).get("kid");
            holder.send(EventTypes.HOLDER_REPLIED, ownKey.signedWith(holderKid, ownKey.signature()),
                    UUID.randomUUID().toString());
            await().atMost(Duration.ofSeconds(60)).until(() -> escalations().stream().anyMatch(e ->
                    request.toString().equals(e.get("requestId")) && external.equals(e.get("holderId"))
                            && "REPLY_SIGNATURE_INVALID".equals(e.get("reason"))));
            // every internal holder has answered by now; the forged replies were not counted
            await().atMost(Duration.ofSeconds(60)).until(() -> rights(p.access()).when().get("/v1/requests/{id}", request)
                    .then().statusCode(200).extract().jsonPath().<Map<String, Object>>getList("holders").stream()
                    .filter(h -> INTERNAL.contains(h.get("holderId"))).allMatch(h -> "FINAL".equals(h.get("status"))));
            JsonPath waiting = rights(p.access()).when().get("/v1/requests/{id}", request).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(waiting.getString("status")).isEqualTo("IN_PROGRESS");
            assertThat(waiting.getString("certificateId")).isNull();

            // the genuine, signed reply completes it; the certificate's statement for the holder is its own
            holder.reply(cmd, "ERASED");
            awaitStatus(p.access(), request, "COMPLETED", Duration.ofSeconds(120));
            JsonPath cert = rights(p.access()).when().get("/v1/requests/{id}/certificate", request)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(Certificates.holderProblems(PledgeSystem.RIGHTS.url() + "/v1/certificates/public-key", cert))
                    .isEmpty();
            assertThat(Certificates.verifies(PledgeSystem.RIGHTS, cert)).isTrue();
            JsonNode payload = EventJson.mapper().readTree(cert.getString("payload"));
            JsonNode entry = null;
            for (JsonNode h : payload.path("holders")) {
                if (external.equals(h.path("holderId").asText())) {
                    entry = h;
                }
                // every holder, Pledge's own services included, signed its statement
                assertThat(h.path("reply").path("signature").asText()).as(h.path("holderId").asText()).isNotBlank();
            }
            assertThat(entry).isNotNull();
            assertThat(entry.path("reply").path("keyId").asText()).isEqualTo(holderKid);
            assertThat(entry.path("reply").path("signature").asText()).isNotEqualTo(ownKey.signature());
            // and a tampered holder statement is detected offline
            JsonPath tampered = JsonPath.from(EventJson.mapper().writeValueAsString(Map.of(
                    "payload", cert.getString("payload").replace("\"analytics-profile\":1", "\"analytics-profile\":9"),
                    "signature", cert.getString("signature"))));
            assertThat(Certificates.holderProblems(PledgeSystem.RIGHTS.url() + "/v1/certificates/public-key", tampered))
                    .anyMatch(m -> m.contains(external + ": its signature does not verify"));
            // the forgery stays before the operators after the completion
            assertThat(escalations()).anyMatch(e -> request.toString().equals(e.get("requestId"))
                    && external.equals(e.get("holderId")) && "REPLY_SIGNATURE_INVALID".equals(e.get("reason")));
        } finally {
            Holders.offboard(external);
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

            Holders.offboard(silent);
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.received().stream()
                    .anyMatch(c -> c.type().endsWith("HolderOffboardingRequested.v1")));
            ExternalHolder.Command offboarding = holder.received().stream()
                    .filter(c -> c.type().endsWith("HolderOffboardingRequested.v1")).findFirst().orElseThrow();
            // until the holder acknowledges its offboarding the request waits: no outcome in its name, no certificate
            JsonPath stillWaiting = rights(p.access()).when().get("/v1/requests/{id}", request).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(stillWaiting.getString("status")).isEqualTo("IN_PROGRESS");
            assertThat(stillWaiting.getList("holders", Map.class)).filteredOn(h -> silent.equals(h.get("holderId")))
                    .singleElement().satisfies(h -> {
                        assertThat(h.get("status")).isEqualTo("PENDING");
                        assertThat(h.get("outcome")).isNull();
                    });
            rights(p.access()).when().get("/v1/requests/{id}/certificate", request).then().statusCode(404);

            // it acknowledges the offboarding: the request is resolved by that acknowledgement and certified with it
            holder.reply(offboarding, "ERASED");
            JsonPath done = awaitStatus(p.access(), request, "COMPLETED", Duration.ofSeconds(60));
            Map<String, Object> entry = done.getList("holders", Map.class).stream()
                    .filter(h -> silent.equals(h.get("holderId"))).findFirst().orElseThrow();
            assertThat(entry.get("resolvedByOffboarding")).isEqualTo(offboarding.requestId());
            assertThat(entry.get("outcome")).isEqualTo("RESOLVED_BY_OFFBOARDING");
            JsonPath cert = rights(p.access()).when().get("/v1/requests/{id}/certificate", request).then()
                    .statusCode(200).extract().jsonPath();
            assertThat(Certificates.holderProblems(PledgeSystem.RIGHTS.url() + "/v1/certificates/public-key", cert))
                    .isEmpty();
            JsonNode certified = null;
            for (JsonNode h : EventJson.mapper().readTree(cert.getString("payload")).path("holders")) {
                if (silent.equals(h.path("holderId").asText())) {
                    certified = h;
                }
            }
            assertThat(certified).isNotNull();
            assertThat(certified.path("reply").path("requestId").asText()).isEqualTo(offboarding.requestId());
            assertThat(certified.path("reply").path("command").asText()).isEqualTo("HolderOffboardingRequested");

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
            Holders.offboard(gated);
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
                        "ackSlaSeconds", ackSlaSeconds, "signingKeys", List.of(ExternalHolder.publicJwk(holderId))))
                .when().post("/v1/holders").then().statusCode(201)
                .extract().path("kafka"));
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
