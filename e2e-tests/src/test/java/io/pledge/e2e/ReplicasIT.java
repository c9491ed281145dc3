package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Two instances of every service, as the prod overlay runs two replicas: the packaged services of
 * {@link PledgeSystem} and a second instance of each {@value #OFFSET} ports up (what
 * {@code deploy/local/services up --port-offset} starts), sharing the databases, the broker, the data
 * folder with its keys, and the consumer groups. A consent change made on one instance is what the
 * other's check answers; a deletion submitted on one instance and verified on the other completes after
 * the first is killed with SIGKILL midway, and its certificate verifies against the public key either
 * instance publishes. The time from verification to completion, with the kill and without it (the
 * baseline of the same run), is written to {@code target/replicas.txt}.
 */
@ExtendWith(PledgeSystem.class)
class ReplicasIT {

    static final int OFFSET = 100;
    private static final Duration PATIENCE = Duration.ofSeconds(180);

    private static PledgeSystem.Service consentB;
    private static PledgeSystem.Service rightsB;

    @BeforeAll
    static void secondInstances() {
        List<PledgeSystem.Service> replicas = PledgeSystem.startReplicas(OFFSET);
        consentB = replicas.stream().filter(s -> s.module().equals(PledgeSystem.CONSENT.module())).findFirst().orElseThrow();
        rightsB = replicas.stream().filter(s -> s.module().equals(PledgeSystem.RIGHTS.module())).findFirst().orElseThrow();
    }

    @AfterAll
    static void oneInstanceAgain() {
        PledgeSystem.stopReplicas();
    }

    @Test
    @Tag("clause-6.4")
    @Tag("consent-service")
    void aConsentChangedOnOneInstanceIsWhatTheOtherAnswers() throws Exception {
        Subjects.Person p = Subjects.register("replica-consent");
        String holder = Clients.service("notification-service", "consent-service", List.of("consent:check"));

        decide(consentB, p, "marketing-email", "GIVEN");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> check(PledgeSystem.CONSENT, holder, p.id()).getBoolean("permitted"));
        assertThat(check(PledgeSystem.CONSENT, holder, p.id()).getString("reason")).isEqualTo("GRANTED");

        decide(PledgeSystem.CONSENT, p, "marketing-email", "WITHDRAWN");
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> !check(consentB, holder, p.id()).getBoolean("permitted"));
        assertThat(check(consentB, holder, p.id()).getString("reason")).isEqualTo("WITHDRAWN");
        // the ledger both instances write is one: both changes, whichever instance is asked
        List<String> statuses = as(consentB, p.access()).when().get("/v1/consents/{s}/records", p.id()).then()
                .statusCode(200).extract().jsonPath().getList("items.findAll { it.purposeId == 'marketing-email' }.status");
        assertThat(statuses).containsExactlyInAnyOrder("GIVEN", "WITHDRAWN");
    }

    @Test
    @Tag("clause-6.3")
    @Tag("rights-request-service")
    void aDeletionSurvivesTheKillOfTheInstanceThatTookItAndItsCertificateVerifiesOnBoth() throws Exception {
        // the baseline of the same run: both instances stay up
        Subjects.Person calm = Subjects.register("replica-deletion");
        UUID baseline = submitOnAVerifyOnB(calm);
        Duration bothUp = awaitCompletedOnB(calm, baseline);

        Subjects.Person p = Subjects.register("replica-deletion");
        UUID request = submitOnAVerifyOnB(p);
        long verified = System.nanoTime();
        PledgeSystem.kill(PledgeSystem.RIGHTS);
        try {
            awaitCompletedOnB(p, request);
            Duration oneKilled = Duration.ofNanos(System.nanoTime() - verified);
            JsonPath cert = as(rightsB, p.access()).when().get("/v1/requests/{id}/certificate", request)
                    .then().statusCode(200).extract().jsonPath();
            assertThat(Certificates.verifies(rightsB, cert)).as("certificate verified with the key instance B publishes").isTrue();
            Files.writeString(Path.of("target/replicas.txt"), String.format(
                    "deletion submitted on instance A, verified on instance B, verification to COMPLETED:%n"
                            + "  both instances up (baseline, same run): %d ms%n"
                            + "  instance A killed with SIGKILL right after the verification: %d ms%n",
                    bothUp.toMillis(), oneKilled.toMillis()));
        } finally {
            PledgeSystem.restart(PledgeSystem.RIGHTS);
        }
        // the first instance, back, serves the same certificate and publishes the key that verifies it
        JsonPath fromA = as(PledgeSystem.RIGHTS, p.access()).when().get("/v1/requests/{id}/certificate", request)
                .then().statusCode(200).extract().jsonPath();
        assertThat(Certificates.verifies(PledgeSystem.RIGHTS, fromA)).as("certificate verified with the key instance A publishes").isTrue();
        JsonPath fromB = as(rightsB, p.access()).when().get("/v1/requests/{id}/certificate", request)
                .then().statusCode(200).extract().jsonPath();
        assertThat(fromA.getString("signature")).isEqualTo(fromB.getString("signature"));
    }

    /** A deletion submitted on the first instance and verified with its code on the other. */
    private static UUID submitOnAVerifyOnB(Subjects.Person p) throws Exception {
        JsonPath submitted = as(PledgeSystem.RIGHTS, p.access()).body(Map.of("type", "DELETION", "ground", "6.3.4"))
                .when().post("/v1/requests").then().statusCode(201).extract().jsonPath();
        UUID request = UUID.fromString(submitted.getString("request.requestId"));
        UUID verification = UUID.fromString(submitted.getString("verification.verificationId"));
        as(rightsB, p.access()).body(Map.of("code", Subjects.code(verification)))
                .when().post("/v1/requests/{id}/verification", request).then().statusCode(200);
        return request;
    }

    /** Waits until instance B reports the request COMPLETED; returns how long that took. */
    private static Duration awaitCompletedOnB(Subjects.Person p, UUID request) {
        long from = System.nanoTime();
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(250)).until(() -> "COMPLETED".equals(
                as(rightsB, p.access()).when().get("/v1/requests/{id}", request).then().statusCode(200)
                        .extract().path("status")));
        return Duration.ofNanos(System.nanoTime() - from);
    }

    private static void decide(PledgeSystem.Service consent, Subjects.Person p, String purpose, String decision) {
        as(consent, p.access()).body(Map.of("purposeId", purpose, "decision", decision, "channel", "WEB"))
                .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
    }

    private static JsonPath check(PledgeSystem.Service consent, String holderToken, UUID subject) {
        return as(consent, holderToken).body(Map.of("subjectId", subject.toString(), "purposeId", "marketing-email"))
                .when().post("/v1/checks").then().statusCode(200).extract().jsonPath();
    }

    private static RequestSpecification as(PledgeSystem.Service s, String token) {
        return given().baseUri(s.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }
}
