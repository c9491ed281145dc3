package io.pledge.rights.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.Db;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A correction's two phases (policy 6.2) against real PostgreSQL and Kafka: the verified request's
 * {@code CorrectionRequested} goes first to the source of its fields only (account-service), and to every other holder
 * of the fields (a downstream CRM holding contact data) only once the source answered {@code CORRECTED}: a holder that
 * re-reads the field from its source must not be told before the source changed it. A source that changed nothing
 * ({@code NOT_HELD}, or {@code FAILED} with its code) ends the correction: nobody else is told, and the request says
 * so. The phase is a column of the request, and the watchdog, which reads only the database, resumes from it. Commands
 * are read from the real rights.commands topic; the holders' replies are signed test replies on rights.replies (the
 * holders are simulated by a plain Kafka producer); account-service's identity verification is the in-test stub
 * {@link AccountStub}. A restart itself is not simulated: each phase's command is written to the outbox in the
 * transaction that stores the phase and counts the reply that opened it.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class CorrectionPhasesTest {

    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    /**
     * Holders other test classes registered must not hold the field here (only the seeded services and this CRM), and
     * this CRM must not be expected by other classes' requests afterwards.
     */
    @BeforeEach
    void retireRegisteredHolders() {
        Db.exec(db, "update holder set status = 'OFFBOARDED' where kind <> 'SERVICE'");
    }

    @AfterEach
    void retireThisCrm() {
        retireRegisteredHolders();
    }

    private String crm() {
        String crm = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        Api.officer().body(Map.of("id", crm, "kind", "DOWNSTREAM", "categories", List.of("contact"),
                        "purposes", List.of("business-notifications"), "region", "CN", "channel", "KAFKA",
                        "ackSlaSeconds", 3600))
                .when().post("/v1/holders").then().statusCode(201);
        return crm;
    }

    /** Every CorrectionRequested of this request that arrives within a short read (already received ones included). */
    private List<JsonObject> moreCommands(KafkaConsumer<String, byte[]> topics, UUID id) {
        return Topics.read(topics, schemas, l -> false, Duration.ofSeconds(3)).stream()
                .filter(p -> p.is(EventTypes.CORRECTION_REQUESTED) && p.body().contains(id.toString()))
                .map(Topics.Published::json).toList();
    }

    @org.junit.jupiter.api.Test
    @Tag("clause-6.2")
    void aCorrectionReachesItsSourceFirstAndEveryOtherHolderOfTheFieldOnlyAfterTheSourceCorrectedIt() throws Exception {
        String crm = crm();
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            UUID id = Api.submit(subject, Map.of("type", "CORRECTION", "fields", List.of("mobile")));
            JsonPath submitted = Api.get(subject, id);
            Instant due = Instant.parse(submitted.getString("dueAt"));
            Instant at = Instant.parse(submitted.getString("submittedAt"));
            // 15 business days: at least 3 calendar weeks, never on a weekend
            assertThat(Duration.between(at, due).toDays()).isGreaterThanOrEqualTo(20);
            assertThat(due.atZone(ZoneId.of("Asia/Shanghai")).getDayOfWeek().getValue()).isLessThanOrEqualTo(5);
            // a wrong code does not verify and nothing is sent
            Api.as(subject).body(Map.of("code", "000000")).when().post("/v1/requests/{id}/verification", id).then()
                    .statusCode(422).contentType(Api.PROBLEM).body("field", org.hamcrest.Matchers.equalTo("code"));
            assertThat(Db.count(db, "select count(*) from ledger_entry where request_id = ?", id)).isZero();
            Api.verify(subject, id);

            // phase 1: the source only; the CRM, which re-reads the mobile from account-service, is not told yet
            JsonObject first = Topics.await(topics, schemas, EventTypes.CORRECTION_REQUESTED, id.toString()).json();
            assertThat(first.getJsonArray("fields").getList()).containsExactly("mobile");
            assertThat(first.getJsonArray("holderIds").getList()).containsExactly("account-service");
            assertThat(Db.string(db, "select phase from rights_request where id = ?", id)).isEqualTo("AT_SOURCE");
            assertThat(Db.count(db, "select count(*) from ledger_entry where request_id = ? and holder_id <> "
                    + "'account-service'", id)).isZero();
            JsonPath waiting = Api.get(subject, id);
            assertThat(waiting.getString("status")).isEqualTo("IN_PROGRESS");
            assertThat(waiting.getString("phase")).isEqualTo("AT_SOURCE");
            assertThat(waiting.getList("holders.holderId")).containsExactly("account-service");
            assertThat(moreCommands(topics, id)).isEmpty();

            // the phase lives in the database: the watchdog re-sends a silent source, and names the source only
            Db.exec(db, "update ledger_entry set last_sent_at = now() - interval '2 hours' where request_id = ?", id);
            JsonObject resent = Topics.await(topics, schemas, EventTypes.CORRECTION_REQUESTED, id.toString()).json();
            assertThat(resent.getJsonArray("holderIds").getList()).containsExactly("account-service");
            assertThat(Db.count(db, "select resend_count from ledger_entry where request_id = ? and holder_id = "
                    + "'account-service'", id)).isEqualTo(1);

            // the source changed the value: phase 2, every other holder of the field, tracked from now on
            Topics.reply(id, "account-service", subject, "CorrectionRequested", "CORRECTED", null, null, null);
            JsonObject second = Topics.await(topics, schemas, EventTypes.CORRECTION_REQUESTED, id.toString()).json();
            assertThat(second.getJsonArray("fields").getList()).containsExactly("mobile");
            assertThat(second.getJsonArray("holderIds").getList()).containsExactly(crm);
            assertThat(second.getString("dueAt")).isEqualTo(first.getString("dueAt"));
            assertThat(Db.string(db, "select phase from rights_request where id = ?", id)).isEqualTo("AT_HOLDERS");
            // told after the source's answer was counted; its own SLA runs from then
            assertThat(Db.count(db, "select count(*) from ledger_entry c join ledger_entry s on s.request_id = "
                    + "c.request_id and s.holder_id = 'account-service' where c.request_id = ? and c.holder_id = ? and "
                    + "c.status = 'PENDING' and c.sent_at >= s.replied_at and c.due_at = c.sent_at + interval '3600 "
                    + "seconds'", id, crm)).isEqualTo(1);
            assertThat(Api.get(subject, id).getString("status")).isEqualTo("IN_PROGRESS");

            // the same answer of the source again (another event id) is recorded, not counted: nobody is told twice
            Topics.reply(id, "account-service", subject, "CorrectionRequested", "CORRECTED", null, null, null);
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from "
                    + "holder_reply where request_id = ? and holder_id = 'account-service' and disposition = "
                    + "'ALREADY_FINAL'", id) == 1);
            assertThat(moreCommands(topics, id)).isEmpty();

            Topics.reply(id, crm, subject, "CorrectionRequested", "CORRECTED", null, null, null);
            JsonPath done = Api.awaitStatus(subject, id, "COMPLETED");
            assertThat(Instant.parse(done.getString("completedAt"))).isBefore(due);
            assertThat(done.getString("outcomeCode")).isEqualTo("CORRECTED");
            assertThat(done.getString("phase")).isEqualTo("AT_HOLDERS");
            List<Map<String, Object>> holders = done.getList("holders");
            assertThat(holders).extracting(h -> h.get("holderId")).containsExactlyInAnyOrder("account-service", crm);
            assertThat(holders).allSatisfy(h -> assertThat(h.get("outcome")).isEqualTo("CORRECTED"));
        }
    }

    @ParameterizedTest
    @CsvSource({"FAILED,CORRECTION_NOT_STAGED", "FAILED,CORRECTION_NO_CHANGE", "NOT_HELD,"})
    @Tag("clause-6.2")
    void aSourceThatChangedNothingEndsTheCorrectionAndNoOtherHolderIsToldToReRead(String outcome, String code)
            throws Exception {
        String crm = crm();
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "CORRECTION", "fields", List.of("email", "nickname")));
            JsonObject first = Topics.await(topics, schemas, EventTypes.CORRECTION_REQUESTED, id.toString()).json();
            assertThat(first.getJsonArray("holderIds").getList()).containsExactly("account-service");

            Topics.reply(id, "account-service", subject, "CorrectionRequested", outcome, null, null, code);
            JsonPath done = Api.awaitStatus(subject, id, "COMPLETED");
            // the request says what happened: not corrected, with the source's own answer and why; nothing else
            assertThat(done.getString("outcomeCode")).isEqualTo("NOT_CORRECTED");
            assertThat(done.getString("phase")).isEqualTo("AT_SOURCE");
            List<Map<String, Object>> holders = done.getList("holders");
            assertThat(holders).hasSize(1);
            assertThat(holders.get(0)).containsEntry("holderId", "account-service").containsEntry("outcome", outcome);
            assertThat(holders.get(0).get("failureCode")).isEqualTo(code);
            assertThat(Db.count(db, "select count(*) from ledger_entry where request_id = ? and holder_id = ?", id, crm))
                    .isZero();
            assertThat(moreCommands(topics, id)).isEmpty();
            // nothing for an operator to retry: the source answered, and a new request is the subject's way on
            assertThat(Db.count(db, "select count(*) from escalation where request_id = ? and resolved_at is null", id))
                    .isZero();
            Api.officer().when().post("/v1/requests/{id}/holders/{h}/retry", id, "account-service").then()
                    .statusCode(409).contentType(Api.PROBLEM);
            assertThat(moreCommands(topics, id)).isEmpty();
        }
    }
}
