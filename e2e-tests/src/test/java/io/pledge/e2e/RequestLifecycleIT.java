package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Section 6's promises about how a request is answered, across the packaged services, with a real subject (signed
 * in, codes from account-service) and a real privacy officer (password and TOTP): a due date on every request; an
 * extension with its new date and coded reason, shown on the request and mailed to the subject by
 * notification-service; a refusal with a coded reason the subject reads and is mailed; the fourth copy in the window
 * quoted a fee instead of processed until the subject accepts it (6 preamble). An automated decision (6.7) gets an
 * opt-out that reaches the downstream profiling team's holder, which stops, and an explanation recorded by the
 * officer before the request completes.
 */
@ExtendWith(PledgeSystem.class)
class RequestLifecycleIT {

    @Test
    @Tag("clause-6.0")
    @Tag("rights-request-service")
    void everyRequestIsDueAndAnExtensionARefusalAndAFeeAreExplainedToTheSubject() throws Exception {
        Subjects.Person p = Subjects.register("lifecycle");
        String officer = Subjects.officer();

        UUID access = submit(p, Map.of("type", "ACCESS"));
        JsonPath submitted = rights(p.access()).when().get("/v1/requests/{id}", access).then().statusCode(200)
                .extract().jsonPath();
        Instant due = Instant.parse(submitted.getString("dueAt"));
        assertThat(due).isAfter(Instant.now());

        // late: the officer extends it; the subject sees the new date and the reason, and is told by mail
        Instant later = due.plus(Duration.ofDays(10));
        rights(officer).body(Map.of("newDueAt", later.toString(), "reasonCode", "COMPLEX_REQUEST")).when()
                .post("/v1/requests/{id}/extension", access).then().statusCode(200);
        JsonPath extended = rights(p.access()).when().get("/v1/requests/{id}", access).then().statusCode(200)
                .extract().jsonPath();
        assertThat(Instant.parse(extended.getString("dueAt"))).isEqualTo(later);
        assertThat(Instant.parse(extended.getString("originalDueAt"))).isEqualTo(due);
        assertThat(extended.getString("extensionReason")).isEqualTo("COMPLEX_REQUEST");
        assertThat(extended.getString("extensionReasonText")).isNotBlank();
        Mailboxes.Mail extensionMail = Mailboxes.await(p.email(), m -> m.text().contains(access.toString())
                && m.text().contains("COMPLEX_REQUEST"), Duration.ofSeconds(60));
        assertThat(extensionMail.text()).contains(later.toString().substring(0, 10));

        // a refusal carries a coded reason the subject reads, and is mailed too
        rights(officer).body(Map.of("reasonCode", "EXCEPTION_8_BUSINESS_SECRETS")).when()
                .post("/v1/requests/{id}/refusal", access).then().statusCode(200);
        JsonPath refused = rights(p.access()).when().get("/v1/requests/{id}", access).then().statusCode(200)
                .extract().jsonPath();
        assertThat(refused.getString("status")).isEqualTo("REFUSED");
        assertThat(refused.getString("refusalCode")).isEqualTo("EXCEPTION_8_BUSINESS_SECRETS");
        assertThat(refused.getString("refusalText")).contains("business secrets");
        Mailboxes.await(p.email(), m -> m.text().contains(access.toString())
                && m.text().contains("EXCEPTION_8_BUSINESS_SECRETS"), Duration.ofSeconds(60));
        // a subject cannot extend or refuse their own request
        rights(p.access()).body(Map.of("reasonCode", "EXCEPTION_8_BUSINESS_SECRETS")).when()
                .post("/v1/requests/{id}/refusal", access).then().statusCode(403).contentType("application/problem+json");

        // free three times in the window; the fourth copy is quoted a fee, and nothing goes to any holder until the
        // subject accepts it (another subject: account-service sends at most five codes per contact an hour)
        Subjects.Person q = Subjects.register("copies");
        for (int i = 0; i < 3; i++) {
            UUID free = submit(q, Map.of("type", "COPY"));
            assertThat(rights(q.access()).when().get("/v1/requests/{id}", free).then().statusCode(200)
                    .extract().jsonPath().getString("feeCents")).isNull();
        }
        UUID fourth = submit(q, Map.of("type", "COPY"));
        JsonPath quoted = verify(q, fourth);
        assertThat(quoted.getString("status")).isEqualTo("FEE_QUOTED");
        assertThat(quoted.getLong("feeCents")).isPositive();
        assertThat(rights(q.access()).when().get("/v1/requests/{id}", fourth).then().statusCode(200).extract()
                .jsonPath().getList("holders")).isNullOrEmpty();
        rights(q.access()).body(Map.of("accept", true)).when().post("/v1/requests/{id}/fee-acceptance", fourth).then()
                .statusCode(200);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                !rights(q.access()).when().get("/v1/requests/{id}", fourth).then().statusCode(200).extract().jsonPath()
                        .getList("holders").isEmpty());

        // a sixth code for the same contact within the hour: account-service's limit reaches the subject as a 429
        // with Retry-After, and no request is created (it is not an outage)
        int before = rights(q.access()).queryParam("subjectId", q.id().toString()).when().get("/v1/requests").then()
                .statusCode(200).extract().jsonPath().getList("$").size();
        rights(q.access()).body(Map.of("type", "ACCESS")).when().post("/v1/requests").then().statusCode(429)
                .contentType("application/problem+json").header("Retry-After", org.hamcrest.Matchers.notNullValue());
        assertThat(rights(q.access()).queryParam("subjectId", q.id().toString()).when().get("/v1/requests").then()
                .statusCode(200).extract().jsonPath().getList("$")).hasSize(before);
    }

    @Test
    @Tag("clause-6.7")
    @Tag("rights-request-service")
    void anAutomatedDecisionsOptOutStopsTheProfilingHolderAndTheOfficerRecordsTheExplanation() throws Exception {
        String profiler = "scoring-" + PledgeSystem.RUN.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 6);
        ExternalHolder.registered(profiler, rights(Subjects.officer()).body(Map.of("id", profiler, "kind", "DOWNSTREAM",
                        "categories", List.of("scores"), "purposes", List.of("profiling"), "region", "CN",
                        "channel", "KAFKA",
                        "agreement", Map.of("matters", "credit scoring", "period", "P1Y", "nature", "processing",
                                "purpose", "profiling", "responsibilities", "stop and erase on request",
                                "documentRef", "DPA-67"),
                        "ackSlaSeconds", 3600, "signingKeys", List.of(ExternalHolder.publicJwk(profiler))))
                .when().post("/v1/holders").then().statusCode(201).extract().path("kafka"));
        try (ExternalHolder holder = new ExternalHolder(profiler, c -> c.type().endsWith(".ProcessingStopRequested.v1")
                ? "APPLIED" : "ERASED")) {
            Subjects.Person p = Subjects.register("decision");
            UUID id = submit(p, Map.of("type", "AUTOMATED_DECISION", "decisionRef", "credit-limit-7", "optOut", true));
            verify(p, id);
            // the opt-out reaches the profiling team as a processing stop for profiling, and it acknowledges
            await().atMost(Duration.ofSeconds(60)).until(() -> holder.received().stream()
                    .anyMatch(c -> c.requestId().equals(id.toString())));
            ExternalHolder.Command stop = holder.received().stream().filter(c -> c.requestId().equals(id.toString()))
                    .findFirst().orElseThrow();
            assertThat(stop.type()).isEqualTo("io.pledge.rights.ProcessingStopRequested.v1");
            assertThat(stop.body().path("purposeId").asText()).isEqualTo("profiling");
            // then the officer explains the decision; only an officer may
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> "AWAITING_OPERATOR"
                    .equals(rights(p.access()).when().get("/v1/requests/{id}", id).then().statusCode(200)
                            .extract().path("status")));
            rights(p.access()).body(Map.of("explanationCode", "RULE_BASED_INCOME_THRESHOLD")).when()
                    .post("/v1/requests/{id}/explanation", id).then().statusCode(403);
            rights(Subjects.officer()).body(Map.of("explanationCode", "RULE_BASED_INCOME_THRESHOLD")).when()
                    .post("/v1/requests/{id}/explanation", id).then().statusCode(200);
            JsonPath done = rights(p.access()).when().get("/v1/requests/{id}", id).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(done.getString("status")).isEqualTo("COMPLETED");
            assertThat(done.getString("explanationCode")).isEqualTo("RULE_BASED_INCOME_THRESHOLD");
            assertThat(done.getString("outcomeCode")).isEqualTo("EXPLAINED_AND_OPTED_OUT");
            List<Map<String, Object>> holders = done.getList("holders");
            assertThat(holders).anySatisfy(h -> {
                assertThat(h.get("holderId")).isEqualTo(profiler);
                assertThat(h.get("outcome")).isEqualTo("APPLIED");
            });
        } finally {
            Holders.offboard(profiler);
        }
    }

    // ---- helpers

    private static RequestSpecification rights(String token) {
        return given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static UUID submit(Subjects.Person p, Map<String, Object> request) {
        JsonPath submitted = rights(p.access()).body(request).when().post("/v1/requests").then().statusCode(201)
                .extract().jsonPath();
        UUID id = UUID.fromString(submitted.getString("request.requestId"));
        VERIFICATIONS.put(id, UUID.fromString(submitted.getString("verification.verificationId")));
        return id;
    }

    private static JsonPath verify(Subjects.Person p, UUID id) throws Exception {
        return rights(p.access()).body(Map.of("code", Subjects.code(VERIFICATIONS.get(id))))
                .when().post("/v1/requests/{id}/verification", id).then().statusCode(200).extract().jsonPath();
    }

    private static final Map<UUID, UUID> VERIFICATIONS = new java.util.concurrent.ConcurrentHashMap<>();
}
