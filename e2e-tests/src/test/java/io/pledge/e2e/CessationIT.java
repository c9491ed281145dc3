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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Cessation of operation (policy 6.9) across the packaged services ({@link PledgeSystem}): a privacy officer, signed in
 * for real, schedules the cessation at notification-service; account-service stops collecting at once; at the end
 * date rights-request-service erases every subject at every holder (account-, consent-, notification-, audit-service
 * and an external holder on plain Kafka clients, {@link ExternalHolder}), each erasure certified with every holder's
 * signed statement, and the subjects can no longer sign in.
 * <p>
 * The end date must be reachable within a test: notification-service is restarted for this test with a minimum
 * notice of zero days ({@code PLEDGE_NOTIFICATION_CESSATION_MIN_NOTICE=P0D}, its configuration key
 * {@code pledge.notification.cessation.min-notice}); the 30-day rule itself (default {@code P30D}) is proven by
 * notification-service's {@code CessationTest}, and the service is restarted with its defaults afterwards. Because a
 * cessation erases every subject of the running system and ends collection, this class runs last
 * ({@code @Order}, e2e-tests' {@code junit-platform.properties}); holders registered by earlier classes that no longer
 * run are offboarded first, so that only live holders are expected.
 */
@ExtendWith(PledgeSystem.class)
@Order(Integer.MAX_VALUE)
class CessationIT {

    @Test
    @Tag("clause-6.9")
    @Tag("notification-service")
    @Tag("rights-request-service")
    void atTheEndDateEverySubjectIsErasedAtEveryHolder() throws Exception {
        String officer = Subjects.officer();
        String external = "archive-" + PledgeSystem.RUN;
        // the first registration of a run may come before notification-service's client secret exists
        List<Subjects.Person> people = List.of(Subjects.registerWhenReady("cease-a"), Subjects.register("cease-b"));
        for (Subjects.Person p : people) {
            given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(p.access()).contentType(ContentType.JSON)
                    .body(Map.of("purposeId", "marketing-email", "decision", "GIVEN", "channel", "WEB"))
                    .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);
        }
        // holders of earlier test classes that no longer answer are offboarded: no cessation erasure waits for them
        for (Map<String, Object> h : rights(officer).when().get("/v1/holders").then().statusCode(200).extract()
                .jsonPath().<Map<String, Object>>getList("$")) {
            if ("ACTIVE".equals(h.get("status")) && !"SERVICE".equals(h.get("kind"))) {
                offboard(officer, (String) h.get("id"));
            }
        }
        register(officer, external);
        try (ExternalHolder holder = new ExternalHolder(external, c -> c.type().contains("ErasureRequested")
                || c.type().contains("HolderOffboardingRequested") ? "ERASED" : "NOT_HELD")) {
            PledgeSystem.kill(PledgeSystem.NOTIFICATION);
            PledgeSystem.restart(PledgeSystem.NOTIFICATION, Map.of("PLEDGE_NOTIFICATION_CESSATION_MIN_NOTICE", "P0D"));

            Instant endsAt = Instant.now().plusSeconds(40).truncatedTo(ChronoUnit.SECONDS);
            JsonPath scheduled = given().baseUri(PledgeSystem.NOTIFICATION.url()).auth().oauth2(officer)
                    .contentType(ContentType.JSON)
                    .body(Map.of("endsAt", endsAt.toString(), "channels", List.of("EMAIL"), "statement",
                            Map.of("zh-CN", "本服务将停止运营，您的个人信息将被删除。",
                                    "en", "This service ceases operation; your personal information will be erased.")))
                    .when().post("/v1/cessations").then().statusCode(201).extract().jsonPath();
            assertThat(scheduled.getString("cessationId")).isNotBlank();

            // collection stops at once: account-service registers nobody new
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    registrationAttempt().statusCode() == 409);
            assertThat(registrationAttempt().contentType()).startsWith("application/problem+json");
            // nothing is erased before the end date
            if (Instant.now().isBefore(endsAt.minusSeconds(5))) {
                for (Subjects.Person p : people) {
                    assertThat(cessationErasure(officer, p.id())).isNull();
                }
            }

            // at the end date: every subject's erasure, at every holder, certified
            for (Subjects.Person p : people) {
                Map<String, Object>[] erasure = new Map[1];
                await().atMost(Duration.ofSeconds(240)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                    erasure[0] = cessationErasure(officer, p.id());
                    return erasure[0] != null && "COMPLETED".equals(erasure[0].get("status"));
                });
                assertThat(Instant.parse((String) erasure[0].get("submittedAt"))).isAfterOrEqualTo(endsAt);
                String request = (String) erasure[0].get("requestId");
                JsonPath cert = rights(officer).when().get("/v1/requests/{id}/certificate", request).then()
                        .statusCode(200).extract().jsonPath();
                assertThat(Certificates.holderProblems(PledgeSystem.RIGHTS.url() + "/v1/certificates/public-key", cert))
                        .isEmpty();
                JsonNode payload = EventJson.mapper().readTree(cert.getString("payload"));
                assertThat(payload.path("ground").asText()).isEqualTo("CESSATION");
                assertThat(payload.path("subjectId").asText()).isEqualTo(p.id().toString());
                Map<String, String> outcomes = new HashMap<>();
                for (JsonNode h : payload.path("holders")) {
                    outcomes.put(h.path("holderId").asText(), h.path("outcome").asText());
                    assertThat(h.path("reply").path("signature").asText()).as(h.path("holderId").asText()).isNotBlank();
                }
                assertThat(outcomes).containsKeys("account-service", "consent-service", "notification-service",
                        "audit-service", "rights-request-service", external);
                assertThat(outcomes.get("account-service")).isIn("ERASED", "ANONYMIZED");
                assertThat(outcomes.get(external)).isEqualTo("ERASED");
                assertThat(holder.received()).anyMatch(c -> c.requestId().equals(request)
                        && c.body().path("ground").asText().equals("CESSATION"));
                // and the account is gone: the subject can no longer sign in
                given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON)
                        .body(Map.of("login", p.mobile(), "password", p.password()))
                        .when().post("/v1/sessions").then().statusCode(401);
            }
        } finally {
            offboard(officer, external);
            PledgeSystem.kill(PledgeSystem.NOTIFICATION);
            PledgeSystem.restart(PledgeSystem.NOTIFICATION);
        }
    }

    /** The subject's erasure with ground CESSATION, as operators see it, or null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> cessationErasure(String officer, UUID subject) {
        List<Map<String, Object>> requests = rights(officer).queryParam("subjectId", subject).when().get("/v1/requests")
                .then().statusCode(200).extract().jsonPath().getList("$");
        return requests.stream().filter(r -> "DELETION".equals(r.get("type")) && "CESSATION".equals(r.get("ground")))
                .findFirst().orElse(null);
    }

    private static io.restassured.response.Response registrationAttempt() {
        long n = java.util.concurrent.ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        return given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON)
                .body(Map.of("userName", "late-" + n, "email", "late" + n + "@example.com", "mobile", "+861" + n,
                        "password", "Pw-" + UUID.randomUUID().toString().substring(0, 13),
                        "birthDate", java.time.LocalDate.now().minusYears(30).toString()))
                .when().post("/v1/accounts");
    }

    private static RequestSpecification rights(String token) {
        return given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static void register(String officer, String holderId) {
        ExternalHolder.registered(holderId, rights(officer).body(Map.of("id", holderId, "kind", "DOWNSTREAM",
                        "categories", List.of("account", "contact"), "purposes", List.of("core-service"),
                        "region", "CN", "channel", "KAFKA",
                        "agreement", Map.of("matters", "archive", "period", "P1Y", "nature", "storage",
                                "purpose", "core-service", "responsibilities", "erase on request", "documentRef", "DPA-69"),
                        "ackSlaSeconds", 3600, "signingKeys", List.of(ExternalHolder.publicJwk(holderId))))
                .when().post("/v1/holders").then().statusCode(201).extract().path("kafka"));
    }

    private static void offboard(String officer, String holderId) {
        rights(officer).when().post("/v1/holders/{id}/offboarding", holderId).then()
                .statusCode(org.hamcrest.Matchers.anyOf(org.hamcrest.Matchers.is(202), org.hamcrest.Matchers.is(409)));
    }
}
