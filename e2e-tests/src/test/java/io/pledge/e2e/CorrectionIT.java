package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A correction across the packaged services ({@link PledgeSystem}), policy 6.2: a real subject (signed in) submits a
 * correction of its email and nickname at rights-request-service, gives the new values at their source,
 * account-service (the new email proven by a code sent to it), and verifies the request with the identity code sent
 * to its current contact. The verified {@code CorrectionRequested} goes in two phases: first to the source of the
 * fields only, account-service, which applies the staged values and replies {@code CORRECTED} with what it changed;
 * then, and only then, to every other holder of the fields: a downstream team's holder ({@link ExternalHolder},
 * registered by a privacy officer signed in for real, holding the contact category and its own copy of the email)
 * drops its copy and re-reads the email through account-service's holder contact lookup with its own OAuth client,
 * and gets the new one. notification-service, which keeps no copy and reads contact values at send time, tells the old
 * address of the change and sends the next code to the new one. The request completes before its due date, fifteen
 * business days after submission. Nothing is faked: the values travel over HTTP only, never on Kafka.
 */
@ExtendWith(PledgeSystem.class)
class CorrectionIT {

    /**
     * How long a mail may take: a send that stalls waits out notification-service's send timeout and first back-off
     * (30 s each by default) before it is tried again, as UserJourneyIT and ReplicasIT allow for too.
     */
    private static final Duration MAIL_PATIENCE = Duration.ofSeconds(180);

    /** The subject line of notification-service's contact-changed notice, in either language. */
    private static final List<String> CONTACT_CHANGED = List.of("您的 Pledge 联系方式已变更",
            "Your Pledge contact details were changed");

    @Test
    @Tag("clause-6.2")
    @Tag("rights-request-service")
    @Tag("account-service")
    void aVerifiedCorrectionChangesTheSourceFirstThenEveryOtherHolderOfTheFieldReReadsTheNewValueBeforeTheDueDate()
            throws Exception {
        String holder = "crm-" + PledgeSystem.RUN.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 6);
        JsonPath registered = rights(Subjects.officer()).body(Map.of("id", holder, "kind", "DOWNSTREAM",
                        "categories", List.of("contact"), "purposes", List.of("business-notifications"), "region", "CN",
                        "channel", "KAFKA",
                        "agreement", Map.of("matters", "customer contact", "period", "P1Y", "nature", "processing",
                                "purpose", "business-notifications", "responsibilities", "correct and erase on request",
                                "documentRef", "DPA-62"),
                        "ackSlaSeconds", 3600, "signingKeys", List.of(ExternalHolder.publicJwk(holder)),
                        "oauthScopes", List.of("contact:read")))
                .when().post("/v1/holders").then().statusCode(201).extract().jsonPath();
        Map<String, Object> oauth = registered.getMap("oauth");
        ExternalHolder.registered(holder, registered.getMap("kafka"));

        Subjects.Person p = Subjects.register("correct");
        account(p).body(Map.of("nickname", "before-nick")).when().put("/v1/accounts/{id}/profile", p.id()).then()
                .statusCode(200);
        String newEmail = "corrected" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";

        // the team's own copy of the subject's email, kept by subject id; filled and refreshed only by its reads
        Map<UUID, String> copy = new ConcurrentHashMap<>();
        try (ExternalHolder crm = new ExternalHolder(holder, c -> {
            if (c.type().contains("CorrectionRequested")) {
                UUID subject = UUID.fromString(c.body().path("subjectId").asText());
                // a correction: drop the copy and read the corrected field again from its source
                copy.remove(subject);
                copy.put(subject, lookupEmail(oauth, subject));
                return "CORRECTED";
            }
            return c.type().contains("Offboarding") || c.type().contains("Erasure") ? "ERASED" : "NOT_HELD";
        }); KafkaConsumer<String, byte[]> replies = Topics.tail("rights.replies");
             KafkaConsumer<String, byte[]> commands = Topics.tail("rights.commands")) {
            copy.put(p.id(), lookupEmail(oauth, p.id()));
            assertThat(copy.get(p.id())).isEqualTo(p.email());

            JsonPath submitted = rights(p.access()).body(Map.of("type", "CORRECTION", "fields", List.of("email", "nickname")))
                    .when().post("/v1/requests").then().statusCode(201).extract().jsonPath();
            UUID request = UUID.fromString(submitted.getString("request.requestId"));
            UUID identity = UUID.fromString(submitted.getString("verification.verificationId"));
            Instant submittedAt = Instant.parse(submitted.getString("request.submittedAt"));
            Instant due = Instant.parse(submitted.getString("request.dueAt"));
            // fifteen business days: at least three calendar weeks, never on a weekend
            assertThat(Duration.between(submittedAt, due).toDays()).isGreaterThanOrEqualTo(20);
            assertThat(due.atZone(ZoneId.of("Asia/Shanghai")).getDayOfWeek().getValue()).isLessThanOrEqualTo(5);

            // the new values go to their source, bound to this request; the new email is proven by a code sent to it
            UUID emailCode = UUID.fromString(account(p).body(Map.of("value", newEmail)).when()
                    .put("/v1/accounts/{id}/corrections/{r}/email", p.id(), request).then().statusCode(202)
                    .body("status", equalTo("AWAITING_CODE")).extract().path("verification.verificationId"));
            String code = Subjects.code(emailCode);
            Mailboxes.await(newEmail, m -> m.text().contains(code), MAIL_PATIENCE);
            account(p).body(Map.of("purpose", "CORRECTION", "code", code)).when()
                    .post("/v1/verifications/{id}/confirmation", emailCode).then().statusCode(200);
            account(p).body(Map.of("value", "after-nick")).when()
                    .put("/v1/accounts/{id}/corrections/{r}/nickname", p.id(), request).then().statusCode(200)
                    .body("status", equalTo("STAGED"));
            // staged is not applied: the source still has the old values until the request is verified
            account(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200).body("email", equalTo(p.email()))
                    .body("profile.nickname", equalTo("before-nick"));

            // a wrong identity code does not verify; the right one sends the command to every holder of the fields
            rights(p.access()).body(Map.of("code", "000000")).when().post("/v1/requests/{id}/verification", request)
                    .then().statusCode(422);
            rights(p.access()).body(Map.of("code", Subjects.code(identity)))
                    .when().post("/v1/requests/{id}/verification", request).then().statusCode(200);

            JsonPath done = awaitStatus(p.access(), request, "COMPLETED", Duration.ofSeconds(120));
            assertThat(Instant.parse(done.getString("completedAt"))).isBefore(due);
            assertThat(done.getString("outcomeCode")).isEqualTo("CORRECTED");
            assertThat(done.getString("phase")).isEqualTo("AT_HOLDERS");
            // each holder's outcome is what it replied: the source and the team both changed (re-read) the value
            List<Map<String, Object>> holders = done.getList("holders");
            assertThat(holders).extracting(h -> h.get("holderId")).containsExactlyInAnyOrder("account-service", holder);
            assertThat(holders).allSatisfy(h -> assertThat(h.get("outcome")).isEqualTo("CORRECTED"));

            // the command went to the source alone first, and to the team only in a second command
            List<JsonNode> sent = Topics.about(Topics.drain(commands, Duration.ofSeconds(3)), "CorrectionRequested",
                    request);
            assertThat(sent).extracting(c -> c.path("holderIds").toString())
                    .containsExactly("[\"account-service\"]", "[\"" + holder + "\"]");
            assertThat(crm.received()).hasSize(1);
            assertThat(crm.received().get(0).body().path("holderIds").toString()).isEqualTo("[\"" + holder + "\"]");

            // account-service's signed reply says what it changed: one contact field, one profile field
            List<JsonNode> got = Topics.about(Topics.drain(replies, Duration.ofSeconds(3)), "HolderReplied", request);
            JsonNode source = got.stream().filter(r -> "account-service".equals(r.path("holderId").asText()))
                    .findFirst().orElseThrow();
            assertThat(source.path("outcome").asText()).isEqualTo("CORRECTED");
            assertThat(source.path("counts").path("contact").asInt()).isEqualTo(1);
            assertThat(source.path("counts").path("profile").asInt()).isEqualTo(1);
            assertThat(got).extracting(r -> r.path("holderId").asText()).containsExactly("account-service", holder);
            assertThat(got.toString()).doesNotContain(newEmail).doesNotContain("after-nick");

            // the new value at each holder of the field: the source ...
            account(p).when().get("/v1/accounts/{id}", p.id()).then().statusCode(200).body("email", equalTo(newEmail))
                    .body("emailVerified", equalTo(true)).body("profile.nickname", equalTo("after-nick"))
                    .body("mobile", equalTo(p.mobile()));
            // ... the downstream team's copy, re-read from the source when the command came ...
            assertThat(copy.get(p.id())).isEqualTo(newEmail);
            // ... and notification-service: the old address is told of the change, the next code goes to the new one
            Mailboxes.await(p.email(), m -> CONTACT_CHANGED.contains(m.subject()), MAIL_PATIENCE);
            JsonPath next = rights(p.access()).body(Map.of("type", "ACCESS", "channel", "EMAIL"))
                    .when().post("/v1/requests").then().statusCode(201).extract().jsonPath();
            assertThat(next.getString("verification.channel")).isEqualTo("EMAIL");
            String nextCode = Subjects.code(UUID.fromString(next.getString("verification.verificationId")));
            Mailboxes.await(newEmail, m -> m.text().contains(nextCode), MAIL_PATIENCE);
        } finally {
            Holders.offboard(holder);
        }
    }

    /** The team's read of a subject's email through account-service's holder API, with its own client credentials. */
    private static String lookupEmail(Map<String, Object> oauth, UUID subject) {
        String token = Holders.clientToken(oauth, "account-service");
        return given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("purposeId", "service-notice", "subjectIds", List.of(subject.toString()),
                        "fields", List.of("email")))
                .when().post("/internal/v1/contacts").then().statusCode(200)
                .body("results[0].outcome", equalTo("OK")).extract().path("results[0].email");
    }

    private static RequestSpecification rights(String token) {
        return given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static RequestSpecification account(Subjects.Person p) {
        return given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(p.access()).contentType(ContentType.JSON);
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
