package io.pledge.rights.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.events.notification.BreachDeclared;
import io.pledge.kit.events.EventSchemas;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The watchdog and the registry against real PostgreSQL and Kafka: a silent holder is escalated by name, a failed
 * holder is retried by an operator without restarting the request, an offboarded holder (policy 4.1) is told to erase
 * everything, resolves the requests waiting for it only once it acknowledges, and is no longer expected. Holders are simulated with a plain
 * Kafka producer; SLAs are shortened by moving a due time into the past with plain JDBC.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class WatchdogTest {

    @Inject
    EventSchemas schemas;
    @Inject
    AgroalDataSource db;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    /** Holders registered here must not be expected by other test classes' requests. */
    @org.junit.jupiter.api.AfterEach
    void retireRegisteredHolders() {
        Db.exec(db, "update holder set status = 'OFFBOARDED' where kind <> 'SERVICE'");
    }

    private static void register(String id, List<String> categories, List<String> purposes) {
        Api.officer().body(Map.of("id", id, "kind", "DELEGATEE", "categories", categories, "purposes", purposes,
                        "region", "CN", "channel", "KAFKA", "ackSlaSeconds", 3600,
                        "agreement", Map.of("matters", "billing support", "period", "2026-2027", "nature", "processing",
                                "purpose", "billing", "responsibilities", "DPA-7", "documentRef", "contract-42")))
                .when().post("/v1/holders").then().statusCode(201);
    }

    private void replyAllBut(UUID id, UUID subject, JsonObject cmd, String silent) throws Exception {
        for (Object h : cmd.getJsonArray("holderIds")) {
            if (!h.equals(silent) && !h.equals("rights-request-service")) {
                Topics.reply(id, (String) h, subject, cmd.containsKey("ground") ? "ErasureRequested" : "ExportRequested",
                        "NOT_HELD", null, null, null);
            }
        }
    }

    @Test
    @Tag("clause-6.3")
    void aSilentHolderIsEscalatedByNameAndAFailedOneIsRetriedByAnOperator() throws Exception {
        String holder = "billing-" + UUID.randomUUID().toString().substring(0, 8);
        register(holder, List.of("billing"), List.of("core-service"));
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands", "rights-request.events")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "DELETION", "ground", "6.3.1"));
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.ERASURE_REQUESTED, id.toString()).json();
            assertThat(cmd.getJsonArray("holderIds").getList()).contains(holder);
            replyAllBut(id, subject, cmd, holder);
            // the holder's SLA passes
            Db.exec(db, "update ledger_entry set due_at = now() - interval '1 minute' where request_id = ? and holder_id = ?",
                    id, holder);
            JsonObject escalated = Topics.await(topics, schemas, EventTypes.HOLDER_ESCALATED, id.toString()).json();
            assertThat(escalated.getString("holderId")).isEqualTo(holder);
            List<Map<String, Object>> open = Api.officer().when().get("/v1/operator/escalations").then().statusCode(200)
                    .extract().path("findAll { it.requestId == '" + id + "' }");
            assertThat(open).extracting(m -> m.get("holderId")).containsExactly(holder);
            assertThat(Api.get(subject, id).getString("status")).isEqualTo("IN_PROGRESS");

            // it fails; an operator retries it alone; it then answers
            Topics.reply(id, holder, subject, "ErasureRequested", "FAILED", null, null, "STORE_UNAVAILABLE");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    "FAILED".equals(Db.string(db, "select status from ledger_entry where request_id = ? and holder_id = ?", id, holder)));
            assertThat(Api.get(subject, id).getString("status")).isEqualTo("IN_PROGRESS");
            Api.officer().when().post("/v1/requests/{id}/holders/{h}/retry", id, holder).then().statusCode(200);
            JsonObject again = Topics.await(topics, schemas, EventTypes.ERASURE_REQUESTED, holder).json();
            assertThat(again.getString("requestId")).isEqualTo(id.toString());
            assertThat(again.getJsonArray("holderIds").getList()).containsExactly(holder);
            Topics.reply(id, holder, subject, "ErasureRequested", "ERASED", null, null, null);
            Api.awaitStatus(subject, id, "COMPLETED");
            assertThat(Db.count(db, "select count(*) from escalation where request_id = ? and resolved_at is null", id)).isZero();
        }
    }

    @Test
    @Tag("clause-4.1")
    void offboardingAHolderErasesEverythingItHoldsAndResolvesRequestsWaitingForIt() throws Exception {
        String holder = "delegatee-" + UUID.randomUUID().toString().substring(0, 8);
        register(holder, List.of("support-tickets"), List.of("core-service"));
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            UUID id = Api.submitVerified(subject, Map.of("type", "DELETION", "ground", "6.3.4"));
            JsonObject cmd = Topics.await(topics, schemas, EventTypes.ERASURE_REQUESTED, id.toString()).json();
            replyAllBut(id, subject, cmd, holder);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() ->
                    Db.count(db, "select count(*) from ledger_entry where request_id = ? and status = 'PENDING'", id) == 1);

            Map<String, Object> off = Api.officer().when().post("/v1/holders/{id}/offboarding", holder).then().statusCode(202)
                    .extract().as(Map.class);
            assertThat(off.get("waitingRequests")).isEqualTo(1);
            UUID offboarding = UUID.fromString((String) off.get("offboardingRequestId"));
            JsonObject offCmd = Topics.await(topics, schemas, EventTypes.HOLDER_OFFBOARDING_REQUESTED, holder).json();
            assertThat(offCmd.getJsonArray("categories").getList()).containsExactly("support-tickets");
            assertThat(offCmd.getString("requestId")).isEqualTo(offboarding.toString());

            // until the holder acknowledges its offboarding, the waiting request has no outcome for it and no
            // certificate: nothing is said in the holder's name that it did not say
            assertThat(Db.string(db, "select status from ledger_entry where request_id = ? and holder_id = ?", id, holder))
                    .isEqualTo("PENDING");
            assertThat(Db.string(db, "select coalesce(outcome, 'none') from ledger_entry where request_id = ? and "
                    + "holder_id = ?", id, holder)).isEqualTo("none");
            assertThat(Api.get(subject, id).getString("status")).isEqualTo("IN_PROGRESS");
            Api.as(subject).when().get("/v1/requests/{id}/certificate", id).then().statusCode(404);
            // the watchdog re-sends the offboarding, not the erasure the holder is leaving behind, and still escalates
            // the waiting request's holder by name once its SLA passes, like any silent holder
            Db.exec(db, "update ledger_entry set due_at = now() - interval '1 minute', last_sent_at = now() - interval "
                    + "'2 hours' where request_id = ? and holder_id = ?", id, holder);
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> Db.count(db,
                    "select count(*) from escalation where request_id = ? and holder_id = ? and resolved_at is null", id,
                    holder) == 1);
            assertThat(Db.count(db, "select resend_count from ledger_entry where request_id = ? and holder_id = ?", id,
                    holder)).isZero();
            assertThat(Api.officer().when().get("/v1/holders/{id}", holder).then().extract().<String>path("status"))
                    .isEqualTo("OFFBOARDING");

            // the holder acknowledges: the waiting request is resolved by that acknowledgement and certified with it
            Topics.reply(offboarding, holder, null, "HolderOffboardingRequested", "ERASED", null, null, null);
            Api.awaitStatus(subject, id, "COMPLETED");
            String payload = Api.as(subject).when().get("/v1/requests/{id}/certificate", id).then().statusCode(200)
                    .extract().path("payload");
            JsonObject entry = new JsonObject(payload).getJsonArray("holders").stream().map(JsonObject.class::cast)
                    .filter(h -> holder.equals(h.getString("holderId"))).findFirst().orElseThrow();
            assertThat(entry.getString("outcome")).isEqualTo("RESOLVED_BY_OFFBOARDING");
            assertThat(entry.getString("resolvedByOffboarding")).isEqualTo(offboarding.toString());
            // the holder's own signed acknowledgement, naming the offboarding, is the statement behind that outcome
            assertThat(entry.getJsonObject("reply").getString("requestId")).isEqualTo(offboarding.toString());
            assertThat(entry.getJsonObject("reply").getString("command")).isEqualTo("HolderOffboardingRequested");
            assertThat(entry.getJsonObject("reply").getString("signature")).isNotBlank();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "OFFBOARDED".equals(
                    Api.officer().when().get("/v1/holders/{id}", holder).then().extract().<String>path("status")));

            // later requests no longer expect it
            UUID later = Api.submitVerified(subject, Map.of("type", "DELETION", "ground", "6.3.4"));
            JsonObject laterCmd = Topics.await(topics, schemas, EventTypes.ERASURE_REQUESTED, later.toString()).json();
            assertThat(laterCmd.getJsonArray("holderIds").getList()).doesNotContain(holder);
        }
    }

    @Test
    @Tag("clause-4.1")
    void aSilentHolderOfACommandWithoutSubjectIsEscalatedOnTheTopicKeyedByTheRequest() throws Exception {
        String holder = "delegatee-" + UUID.randomUUID().toString().substring(0, 8);
        register(holder, List.of("call-recordings"), List.of("core-service"));
        UUID incident = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands", "rights-request.events")) {
            // breach measures (5.3): every holder of the categories acts; one stays silent past its SLA
            Topics.send(EventTypes.BREACH_DECLARED, new BreachDeclared(incident, List.of("call-recordings", "contact"), 12,
                    Instant.now()));
            JsonObject measures = Topics.await(topics, schemas, EventTypes.BREACH_MEASURES_REQUESTED, incident.toString())
                    .json();
            UUID breachRequest = UUID.fromString(measures.getString("requestId"));
            assertThat(measures.getJsonArray("holderIds").getList()).contains(holder, "account-service");
            for (Object h : measures.getJsonArray("holderIds")) {
                if (!h.equals(holder) && !h.equals("rights-request-service")) {
                    Topics.reply(breachRequest, (String) h, null, "BreachMeasuresRequested", "APPLIED", null, null, null);
                }
            }
            Db.exec(db, "update ledger_entry set due_at = now() - interval '1 minute' where request_id = ? and holder_id = ?",
                    breachRequest, holder);
            Topics.Published breach = Topics.await(topics, schemas, EventTypes.HOLDER_ESCALATED, breachRequest.toString());
            assertThat(breach.json().getString("holderId")).isEqualTo(holder);
            assertThat(breach.json().containsKey("subjectId")).isFalse();
            assertThat(breach.key()).isEqualTo("request:" + breachRequest);
            assertThat(breach.subject()).isNull();

            // offboarding (4.1): the holder leaving does not acknowledge in time
            Map<String, Object> off = Api.officer().when().post("/v1/holders/{id}/offboarding", holder).then().statusCode(202)
                    .extract().as(Map.class);
            UUID offboarding = UUID.fromString((String) off.get("offboardingRequestId"));
            Topics.await(topics, schemas, EventTypes.HOLDER_OFFBOARDING_REQUESTED, offboarding.toString());
            Db.exec(db, "update ledger_entry set due_at = now() - interval '1 minute' where request_id = ? and holder_id = ?",
                    offboarding, holder);
            Topics.Published late = Topics.await(topics, schemas, EventTypes.HOLDER_ESCALATED, offboarding.toString());
            assertThat(late.json().getString("holderId")).isEqualTo(holder);
            assertThat(late.json().containsKey("subjectId")).isFalse();
            assertThat(late.key()).isEqualTo("request:" + offboarding);
            assertThat(late.subject()).isNull();
            List<Map<String, Object>> open = Api.officer().when().get("/v1/operator/escalations").then().statusCode(200)
                    .extract().path("findAll { it.requestId == '" + offboarding + "' }");
            assertThat(open).extracting(m -> m.get("holderId")).containsExactly(holder);
        }
    }
}
