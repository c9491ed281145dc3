package io.pledge.rights.requests;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountCancelled;
import io.pledge.events.consent.ConsentWithdrawn;
import io.pledge.kit.events.EventSchemas;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.pledge.kit.webhook.StandardWebhooks;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Each request type of policy 6 end to end against real PostgreSQL and Kafka: commands read from rights.commands,
 * holders simulated by a plain Kafka producer, events from account.events and consent.events produced as those
 * services do. account-service (identity verification, its export part) and a transfer recipient's webhook are the
 * in-test stub {@link AccountStub}.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class RequestTypesTest {

    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    @AfterEach
    void retireRegisteredHolders() {
        Db.exec(db, "update holder set status = 'OFFBOARDED' where kind <> 'SERVICE'");
    }

    private static void answer(UUID id, UUID subject, JsonObject cmd, String command, Map<String, String> outcomes,
                               String otherwise) throws Exception {
        for (Object h : cmd.getJsonArray("holderIds")) {
            if (h.equals("rights-request-service")) {
                continue;
            }
            String outcome = outcomes.getOrDefault((String) h, otherwise);
            String location = "EXPORTED".equals(outcome) ? "https://pledge.local/api/account-service/v1/accounts/" + subject
                    + "/export?requestId=" + id : null;
            Topics.reply(id, (String) h, subject, command, outcome, null, location, null);
        }
    }

    @Test
    @Tag("clause-6.1")
    void accessAssemblesEveryHoldersPartIntoOnePackageWithAReadme() throws Exception {
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "ACCESS"));
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.EXPORT_REQUESTED, id.toString()).json();
            assertThat(cmd.getString("purpose")).isEqualTo("ACCESS");
            answer(id, subject, cmd, "ExportRequested", Map.of("account-service", "EXPORTED"), "NOT_HELD");
            Api.awaitStatus(subject, id, "COMPLETED");
            JsonPath pkg = Api.as(subject).when().get("/v1/requests/{id}/package", id).then().statusCode(200)
                    .extract().jsonPath();
            assertThat(pkg.getString("format")).isEqualTo("pledge-export-package/v1");
            assertThat(pkg.getString("parts.account-service.subjectId")).isEqualTo(subject.toString());
            assertThat(pkg.getList("parts.rights-request-service.requests.requestId")).contains(id.toString());
            assertThat(pkg.getList("readme.parts.holderId")).contains("account-service", "consent-service", "audit-service",
                    "notification-service", "rights-request-service");
            assertThat(pkg.getString("readme.parts.find { it.holderId == 'consent-service' }.description"))
                    .contains("holds nothing");
            // fetched with this service's token for account-service only
            assertThat(AccountStub.AUTHORIZATIONS).anyMatch(p -> p.equals("/v1/accounts/" + subject + "/export aud=account-service"));
            Api.as(UUID.randomUUID()).when().get("/v1/requests/{id}/package", id).then().statusCode(404)
                    .contentType(Api.PROBLEM);
        }
    }

    @Test
    @Tag("clause-6.6")
    void aCopyIsTransferredToTheDesignatedRecipientOverItsSignedWebhook() throws Exception {
        String recipient = "portability-" + UUID.randomUUID().toString().substring(0, 8);
        String secret = Api.officer().body(Map.of("id", recipient, "kind", "RECIPIENT", "categories", List.of("ported-data"),
                        "purposes", List.of("portability"), "region", "CN", "channel", "WEBHOOK",
                        "webhookUrl", AccountStub.URL + "/partner/webhook", "ackSlaSeconds", 3600))
                .when().post("/v1/holders").then().statusCode(201).extract().path("webhookSecret");
        assertThat(secret).isNotBlank();
        UUID subject = UUID.randomUUID();
        AccountStub.FAIL_WEBHOOK_TIMES.set(1);
        int before = AccountStub.WEBHOOK.size();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "COPY", "recipientId", recipient));
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.EXPORT_REQUESTED, id.toString()).json();
            assertThat(cmd.getString("purpose")).isEqualTo("TRANSFER");
            assertThat(cmd.getJsonArray("holderIds").getList()).doesNotContain(recipient);
            answer(id, subject, cmd, "ExportRequested", Map.of("account-service", "EXPORTED"), "NOT_HELD");
            Api.awaitStatus(subject, id, "COMPLETED");
            // the first attempt is refused (503), the retry with backoff delivers
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
                    "DELIVERED".equals(Api.get(subject, id).getString("transferStatus")));
            List<AccountStub.Received> got = AccountStub.WEBHOOK.subList(before, AccountStub.WEBHOOK.size());
            assertThat(got).hasSizeGreaterThanOrEqualTo(2);
            AccountStub.Received last = got.get(got.size() - 1);
            assertThat(last.type()).isEqualTo("TRANSFER_PACKAGE");
            assertThat(StandardWebhooks.verify(secret, last.webhookId(), last.timestamp(), last.signature(),
                    last.body().getBytes(java.nio.charset.StandardCharsets.UTF_8), Duration.ofMinutes(5),
                    java.time.Instant.now())).isNull();
            JsonObject pkg = new JsonObject(last.body());
            assertThat(pkg.getString("purpose")).isEqualTo("TRANSFER");
            assertThat(pkg.getJsonObject("parts").getJsonObject("account-service").getString("subjectId"))
                    .isEqualTo(subject.toString());
        }
        // a recipient that is not a registered webhook recipient is refused, nothing created
        Api.as(subject).body(Map.of("type", "COPY", "recipientId", "nobody-registered")).when().post("/v1/requests")
                .then().statusCode(422).contentType(Api.PROBLEM).body("field", org.hamcrest.Matchers.equalTo("recipientId"));
    }

    @Test
    @Tag("clause-6.4")
    void aConsentWithdrawalReachesEveryHolderProcessingThatPurposeOnce() throws Exception {
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            ConsentWithdrawn w = new ConsentWithdrawn(subject, "marketing-email", null, UUID.randomUUID(), "WEB", "SUBJECT",
                    "2026-11", Instant.now().truncatedTo(ChronoUnit.MILLIS));
            String eventId = UUID.randomUUID().toString();
            Topics.send(EventTypes.CONSENT_WITHDRAWN, w, eventId, "/pledge/consent-service");
            Topics.send(EventTypes.CONSENT_WITHDRAWN, w, eventId, "/pledge/consent-service");
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.PROCESSING_STOP_REQUESTED, subject.toString()).json();
            assertThat(cmd.getString("purposeId")).isEqualTo("marketing-email");
            assertThat(cmd.getJsonArray("holderIds").getList()).containsExactly("notification-service");
            UUID id = UUID.fromString(cmd.getString("requestId"));
            Topics.reply(id, "notification-service", subject, "ProcessingStopRequested", "APPLIED", null, null, null);
            Api.awaitStatus(subject, id, "COMPLETED");
            assertThat(Db.count(db, "select count(*) from rights_request where subject_id = ? and type = 'CONSENT_SCOPE'",
                    subject)).isEqualTo(1);
        }
    }

    @Test
    @Tag("clause-6.5")
    void aCancelledAccountsErasureIsOrchestratedHereWithACertificate() throws Exception {
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            Topics.send(EventTypes.ACCOUNT_CANCELLED, new AccountCancelled(subject, Instant.now(), null));
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.ERASURE_REQUESTED, subject.toString()).json();
            assertThat(cmd.getString("ground")).isEqualTo("CANCELLATION");
            UUID id = UUID.fromString(cmd.getString("requestId"));
            answer(id, subject, cmd, "ErasureRequested", Map.of(), "ERASED");
            JsonPath done = Api.awaitStatus(subject, id, "COMPLETED");
            assertThat(done.getString("type")).isEqualTo("CANCELLATION");
            assertThat(done.getString("certificateId")).isNotNull();
        }
        // the subject cannot start a cancellation here: it begins at account-service (holds are checked there)
        Api.as(subject).body(Map.of("type", "CANCELLATION")).when().post("/v1/requests").then().statusCode(422)
                .contentType(Api.PROBLEM).body("field", org.hamcrest.Matchers.equalTo("type"));
    }

    @Test
    @Tag("clause-6.7")
    void anAutomatedDecisionGetsARecordedExplanationAndAnOptOut() throws Exception {
        String profiler = "scoring-" + UUID.randomUUID().toString().substring(0, 8);
        Api.officer().body(Map.of("id", profiler, "kind", "DOWNSTREAM", "categories", List.of("scores"),
                        "purposes", List.of("profiling"), "region", "CN", "channel", "KAFKA", "ackSlaSeconds", 3600))
                .when().post("/v1/holders").then().statusCode(201);
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "AUTOMATED_DECISION", "decisionRef", "credit-limit-7",
                    "optOut", true));
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.PROCESSING_STOP_REQUESTED, id.toString()).json();
            assertThat(cmd.getString("purposeId")).isEqualTo("profiling");
            assertThat(cmd.getJsonArray("holderIds").getList()).containsExactly(profiler);
            Topics.reply(id, profiler, subject, "ProcessingStopRequested", "APPLIED", null, null, null);
            Api.awaitStatus(subject, id, "AWAITING_OPERATOR");
            Api.officer().body(Map.of("explanationCode", "RULE_BASED_INCOME_THRESHOLD")).when()
                    .post("/v1/requests/{id}/explanation", id).then().statusCode(200);
            JsonPath done = Api.get(subject, id);
            assertThat(done.getString("status")).isEqualTo("COMPLETED");
            assertThat(done.getString("explanationCode")).isEqualTo("RULE_BASED_INCOME_THRESHOLD");
            assertThat(done.getString("outcomeCode")).isEqualTo("EXPLAINED_AND_OPTED_OUT");
        }
    }

    @Test
    @Tag("clause-6.8")
    @Tag("clause-10.2")
    void aComplaintIsDueThirtyDaysAfterVerificationAndEscalatesWhenOverdue() throws Exception {
        UUID subject = UUID.randomUUID();
        UUID id = Api.submit(subject, Map.of("type", "COMPLAINT", "topic", "PROCESSING_HARM"));
        assertThat(Api.get(subject, id).getString("status")).isEqualTo("AWAITING_VERIFICATION");
        // nobody can answer before the identity is verified
        Api.officer().body(Map.of("resolutionCode", "UPHELD")).when().post("/v1/requests/{id}/resolution", id).then()
                .statusCode(409).contentType(Api.PROBLEM);
        JsonPath v = Api.verify(subject, id);
        Instant verified = Instant.parse(v.getString("verifiedAt"));
        Instant due = Instant.parse(v.getString("dueAt"));
        assertThat(Duration.between(verified, due).toDays()).isBetween(29L, 31L);
        assertThat(v.getString("status")).isEqualTo("AWAITING_OPERATOR");
        assertThat(v.getString("stateOwner")).isEqualTo("PRIVACY_OFFICER");
        // overdue: escalated to the officers' queue and listed as overdue
        Db.exec(db, "update rights_request set due_at = now() - interval '1 hour' where id = ?", id);
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db,
                "select count(*) from escalation where request_id = ? and holder_id = 'privacy-office' and reason = 'REQUEST_OVERDUE'",
                id) == 1);
        List<String> overdue = Api.officer().when().get("/v1/operator/requests?view=overdue").then().statusCode(200)
                .extract().path("requestId");
        assertThat(overdue).contains(id.toString());
        Api.officer().body(Map.of("resolutionCode", "UPHELD")).when().post("/v1/requests/{id}/resolution", id).then()
                .statusCode(200);
        JsonPath done = Api.get(subject, id);
        assertThat(done.getString("status")).isEqualTo("COMPLETED");
        assertThat(done.getString("outcomeCode")).isEqualTo("UPHELD");
    }

    @Test
    @Tag("clause-6.0")
    void deadlinesExtensionsRefusalsAndFeesAreRecordedAndShownToTheSubject() throws Exception {
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights-request.events", "notification.commands")) {
            UUID id = Api.submit(subject, Map.of("type", "ACCESS"));
            Instant due = Instant.parse(Api.get(subject, id).getString("dueAt"));
            Instant later = due.plus(Duration.ofDays(10));
            Api.officer().body(Map.of("newDueAt", later.toString(), "reasonCode", "COMPLEX_REQUEST")).when()
                    .post("/v1/requests/{id}/extension", id).then().statusCode(200);
            JsonObject ext = Topics.await(topics, schemas, EventTypes.RIGHTS_REQUEST_EXTENDED, id.toString()).json();
            assertThat(ext.getString("reasonCode")).isEqualTo("COMPLEX_REQUEST");
            JsonObject notice = Topics.await(topics, schemas, EventTypes.NOTICE_REQUESTED, "rights-request-extended").json();
            assertThat(notice.getJsonObject("params").getString("newDueAt")).isEqualTo(later.toString());
            assertThat(notice.getJsonObject("params").getString("reasonCode")).isEqualTo("COMPLEX_REQUEST");
            JsonPath seen = Api.get(subject, id);
            assertThat(seen.getString("extensionReason")).isEqualTo("COMPLEX_REQUEST");
            assertThat(seen.getString("extensionReasonText")).isNotBlank();
            assertThat(seen.getString("originalDueAt")).isNotEqualTo(seen.getString("dueAt"));

            Api.officer().body(Map.of("reasonCode", "EXCEPTION_8_BUSINESS_SECRETS")).when()
                    .post("/v1/requests/{id}/refusal", id).then().statusCode(200);
            JsonPath refused = Api.get(subject, id);
            assertThat(refused.getString("status")).isEqualTo("REFUSED");
            assertThat(refused.getString("refusalText")).contains("business secrets");
            Topics.await(topics, schemas, EventTypes.RIGHTS_REQUEST_REFUSED, id.toString());
        }
        // the unverified request expires with a recorded outcome
        UUID unverified = Api.submit(subject, Map.of("type", "ACCESS"));
        Db.exec(db, "update rights_request set state_deadline = now() - interval '1 minute' where id = ?", unverified);
        Api.awaitStatus(subject, unverified, "EXPIRED");
        assertThat(Api.get(subject, unverified).getString("refusalCode")).isEqualTo("IDENTITY_NOT_VERIFIED");

        // the fourth COPY within the window is quoted a fee instead of being processed
        UUID other = UUID.randomUUID();
        for (int i = 0; i < 3; i++) {
            UUID free = Api.submit(other, Map.of("type", "COPY"));
            assertThat(Api.get(other, free).getString("feeCents")).isNull();
        }
        UUID fourth = Api.submit(other, Map.of("type", "COPY"));
        JsonPath quoted = Api.verify(other, fourth);
        assertThat(quoted.getString("status")).isEqualTo("FEE_QUOTED");
        assertThat(quoted.getLong("feeCents")).isPositive();
        assertThat(Db.count(db, "select count(*) from ledger_entry where request_id = ?", fourth)).isZero();
        Api.as(other).body(Map.of("accept", true)).when().post("/v1/requests/{id}/fee-acceptance", fourth).then()
                .statusCode(200);
        assertThat(Db.count(db, "select count(*) from ledger_entry where request_id = ?", fourth)).isPositive();
    }
}
