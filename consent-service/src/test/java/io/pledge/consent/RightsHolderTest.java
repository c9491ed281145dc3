package io.pledge.consent;

import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.holderToken;
import static io.pledge.consent.support.Consent.serviceToken;
import static io.pledge.consent.support.Consent.subjectToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.support.Db;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.testing.TestTokens;
import io.pledge.consent.support.Topics;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.pledge.events.consent.ConsentStateChanged;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.events.rights.HolderReplied;
import io.pledge.kit.events.CloudEventHeaders;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * consent-service as a holder, with commands sent to the real rights.commands topic as rights-request-service
 * would and replies read from the real rights.replies and consent.state topics: erasure removes the current
 * state and the evidence, keeps the ledger as proof (RETAINED with basis and date), and tombstones the
 * subject on consent.state; a command delivered twice is applied once; export points to the ledger.
 */
@QuarkusTest
class RightsHolderTest {

    @Inject
    AgroalDataSource db;

    private static HolderReplied reply(ConsumerRecord<String, byte[]> r) {
        try {
            return EventJson.mapper().readValue(r.value(), HolderReplied.class);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void erasureKeepsOnlyTheLedgerAsProofAndTheSameCommandTwiceIsAppliedOnce() throws Exception {
        UUID subject = UUID.randomUUID();
        given().auth().oauth2(subjectToken(subject)).header("User-Agent", "EraseMe/2.0").contentType(ContentType.JSON)
                .body(decision("marketing-email", "GIVEN")).when().post("/v1/consents/{s}/records", subject)
                .then().statusCode(201);
        decide(subject, decision("profiling", "GIVEN")).statusCode(201);
        assertThat(check(subject, "marketing-email").getBoolean("permitted")).isTrue();
        UUID requestId = UUID.randomUUID();
        ErasureRequested erase = new ErasureRequested(requestId, subject, "6.3.4", List.of("consent-records"),
                List.of("account-service", "consent-service"), Instant.now(), Instant.now().plus(Duration.ofDays(15)));

        try (KafkaConsumer<String, byte[]> replies = Topics.tail("rights.replies");
             KafkaConsumer<String, byte[]> state = Topics.tail("consent.state")) {
            String id = Topics.send(EventTypes.of(ErasureRequested.class), erase);
            Topics.send(EventTypes.of(ErasureRequested.class), erase, id); // redelivered

            HolderReplied r = reply(Topics.await(replies, rec -> requestId.toString().equals(rec.key()), 1,
                    Duration.ofSeconds(60)).get(0));
            assertThat(r.holderId()).isEqualTo("consent-service");
            assertThat(r.outcome()).isEqualTo("RETAINED");
            assertThat(r.command()).isEqualTo("ErasureRequested");
            // signed by this service's holder key, as its key document (what rights-request-service reads) names it
            io.restassured.path.json.JsonPath keys = given().when().get("/internal/v1/holder-keys").then().statusCode(200)
                    .extract().jsonPath();
            assertThat(keys.getString("holderId")).isEqualTo("consent-service");
            java.util.Map<String, Object> jwk = keys.<java.util.Map<String, Object>>getList("keys").stream()
                    .filter(k -> r.keyId().equals(k.get("kid"))).findFirst().orElseThrow();
            assertThat(io.pledge.events.rights.ReplySignatures.verify(r,
                    io.pledge.events.rights.ReplySignatures.publicKey(jwk))).isTrue();
            HolderReplied altered = new HolderReplied(r.requestId(), r.holderId(), r.subjectId(), r.command(), "ERASED",
                    r.counts(), null, null, null, r.repliedAt(), r.keyId(), r.signature());
            assertThat(io.pledge.events.rights.ReplySignatures.verify(altered,
                    io.pledge.events.rights.ReplySignatures.publicKey(jwk))).isFalse();
            assertThat(r.retained()).singleElement().satisfies(item -> {
                assertThat(item.legalBasis()).isEqualTo("CONSENT_PROOF");
                assertThat(item.category()).isEqualTo("consent-records");
                assertThat(item.until()).isAfter(LocalDate.now().plusYears(2));
            });

            // the check no longer finds any consent; the projection is gone, the ledger stays without evidence
            assertThat(check(subject, "marketing-email").getString("reason")).isEqualTo("NEVER_GRANTED");
            assertThat(Db.count(db, "select count(*) from consent_state where subject_id = ?", subject)).isZero();
            assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isEqualTo(2);
            assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ? and "
                    + "(user_agent is not null or client_network is not null)", subject)).isZero();
            assertThat(Db.count(db, "select count(*) from pledge_keys.shredded_subject where subject_id = ?", subject))
                    .isEqualTo(1);

            // consent.state: the snapshots, then a tombstone (null value) for the subject
            List<ConsumerRecord<String, byte[]>> states = Topics.await(state,
                    rec -> subject.toString().equals(rec.key()) && rec.value() == null, 1, Duration.ofSeconds(60));
            assertThat(states).hasSize(1);

            // the duplicate was skipped: one reply, one processed id, though both copies were consumed
            String marker = Topics.send(EventTypes.of(ExportRequested.class), new ExportRequested(UUID.randomUUID(), subject,
                    List.of("consent-records"), List.of("consent-service"), "ACCESS", Instant.now(), Instant.now()));
            await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(db,
                    "select count(*) from pledge_processed_event where event_id = ?", marker) == 1);
            assertThat(Db.count(db, "select count(*) from pledge_outbox where message_key = ? and ce_type = ?",
                    requestId.toString(), EventTypes.of(HolderReplied.class).type())).isEqualTo(1);
            assertThat(Db.count(db, "select count(*) from pledge_processed_event where event_id = ?", id)).isEqualTo(1);
        }
    }

    @Test
    void everyChangePublishesTheSubjectsSnapshotOnTheCompactedTopic() throws Exception {
        UUID subject = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> state = Topics.tail("consent.state")) {
            decide(subject, decision("marketing-email", "GIVEN")).statusCode(201);
            decide(subject, decision("sharing-partners", "GIVEN", "recipientId", "crm-partner")).statusCode(201);
            decide(subject, decision("marketing-email", "WITHDRAWN")).statusCode(201);
            List<ConsumerRecord<String, byte[]>> snapshots = Topics.await(state, rec -> subject.toString().equals(rec.key()),
                    3, Duration.ofSeconds(30));
            ConsumerRecord<String, byte[]> last = snapshots.get(2);
            assertThat(Topics.header(last, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.of(ConsentStateChanged.class).type());
            ConsentStateChanged s = EventJson.mapper().readValue(last.value(), ConsentStateChanged.class);
            assertThat(s.purposes()).containsEntry("marketing-email", "WITHDRAWN").containsEntry("sharing-partners", "GIVEN");
        }
    }

    @Test
    void exportRepliesWithTheLocationOfTheLedgerAndReceipts() throws Exception {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("marketing-phone", "GIVEN")).statusCode(201);
        decide(subject, decision("marketing-phone", "WITHDRAWN")).statusCode(201);
        UUID requestId = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> replies = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.of(ExportRequested.class), new ExportRequested(requestId, subject, List.of("consent-records"),
                    List.of("consent-service"), "COPY", Instant.now(), Instant.now().plus(Duration.ofDays(15))));
            HolderReplied r = reply(Topics.await(replies, rec -> requestId.toString().equals(rec.key()), 1,
                    Duration.ofSeconds(60)).get(0));
            assertThat(r.outcome()).isEqualTo("EXPORTED");
            assertThat(r.exportLocation()).startsWith("https://").endsWith("/v1/consents/" + subject + "/export");
        }
        // what the location serves, to rights-request-service with its real token here (and to the subject)
        given().auth().oauth2(serviceToken("rights-request-service")).when().get("/v1/consents/{s}/export", subject)
                .then().statusCode(200)
                .body("records", hasSize(2)).body("receipts", hasSize(2))
                .body("records[1].status", equalTo("WITHDRAWN"));
        given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}/export", subject).then().statusCode(200);
        // any other client is refused, whatever it carries: a holder that checks consent, notification-service's
        // real token, another client holding the very scope, rights-request-service's token for another service or
        // for the public audience
        for (String other : List.of(holderToken(), serviceToken("notification-service"), serviceToken("account-service"),
                TestTokens.client("notification-service", "consent-service", Set.of(Scopes.CONSENT_EXPORT_READ), Duration.ofMinutes(5)),
                TestTokens.mint("rights-request-service", Set.of(Roles.HOLDER), Set.of(Scopes.PUBLIC_AUDIENCE),
                        Set.of(Scopes.CONSENT_EXPORT_READ), Duration.ofMinutes(5)))) {
            given().auth().oauth2(other).when().get("/v1/consents/{s}/export", subject).then().statusCode(403)
                    .contentType(PROBLEM).body("type", equalTo("urn:pledge:problem:forbidden"))
                    .body("records", org.hamcrest.Matchers.nullValue());
        }
        given().auth().oauth2(TestTokens.service("rights-request-service", "account-service"))
                .when().get("/v1/consents/{s}/export", subject).then().statusCode(401).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:unauthorized"));
        given().auth().oauth2(subjectToken(UUID.randomUUID())).when().get("/v1/consents/{s}/export", subject).then()
                .statusCode(403);
    }

    @Test
    @org.junit.jupiter.api.Tag("clause-6.4")
    void aProcessingStopIsAppliedOnlyWhenTheLedgerNoLongerPermitsThePurpose() throws Exception {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("profiling", "GIVEN")).statusCode(201);
        decide(subject, decision("marketing-email", "GIVEN")).statusCode(201);
        decide(subject, decision("marketing-email", "WITHDRAWN")).statusCode(201);
        UUID withdrawn = UUID.randomUUID();
        UUID stillGiven = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> replies = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.of(io.pledge.events.rights.ProcessingStopRequested.class),
                    new io.pledge.events.rights.ProcessingStopRequested(withdrawn, subject, "marketing-email", null,
                            List.of("consent-service"), Instant.now()));
            Topics.send(EventTypes.of(io.pledge.events.rights.ProcessingStopRequested.class),
                    new io.pledge.events.rights.ProcessingStopRequested(stillGiven, subject, "profiling", null,
                            List.of("consent-service"), Instant.now()));
            java.util.Map<String, HolderReplied> got = new java.util.HashMap<>();
            Topics.await(replies, rec -> rec.key().equals(withdrawn.toString()) || rec.key().equals(stillGiven.toString()),
                    2, Duration.ofSeconds(60)).forEach(rec -> got.put(rec.key(), reply(rec)));
            HolderReplied applied = got.get(withdrawn.toString());
            assertThat(applied.outcome()).isEqualTo("APPLIED");
            assertThat(applied.command()).isEqualTo("ProcessingStopRequested");
            HolderReplied failed = got.get(stillGiven.toString());
            assertThat(failed.outcome()).isEqualTo("FAILED");
            assertThat(failed.failureCode()).isEqualTo("CONSENT_STILL_GIVEN");
        }
    }

    @Test
    @org.junit.jupiter.api.Tag("clause-5.3")
    void breachMeasuresAndCorrectionsAreAnsweredForWhatIsHeldHere() throws Exception {
        UUID subject = UUID.randomUUID();
        UUID breach = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID correction = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> replies = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.of(io.pledge.events.rights.BreachMeasuresRequested.class),
                    new io.pledge.events.rights.BreachMeasuresRequested(breach, UUID.randomUUID(),
                            List.of("consent-records"), List.of("consent-service"), Instant.now(),
                            Instant.now().plus(Duration.ofDays(1))));
            Topics.send(EventTypes.of(io.pledge.events.rights.BreachMeasuresRequested.class),
                    new io.pledge.events.rights.BreachMeasuresRequested(other, UUID.randomUUID(),
                            List.of("billing"), List.of("consent-service"), Instant.now(),
                            Instant.now().plus(Duration.ofDays(1))));
            Topics.send(EventTypes.of(io.pledge.events.rights.CorrectionRequested.class),
                    new io.pledge.events.rights.CorrectionRequested(correction, subject, List.of("mobile"),
                            List.of("consent-service"), Instant.now(), Instant.now().plus(Duration.ofDays(15))));
            java.util.Set<String> keys = java.util.Set.of(breach.toString(), other.toString(), correction.toString());
            java.util.Map<String, HolderReplied> got = new java.util.HashMap<>();
            Topics.await(replies, rec -> keys.contains(rec.key()), 3, Duration.ofSeconds(60))
                    .forEach(rec -> got.put(rec.key(), reply(rec)));
            assertThat(got.get(breach.toString()).outcome()).isEqualTo("APPLIED");
            assertThat(got.get(other.toString()).outcome()).isEqualTo("NOT_HELD");
            HolderReplied corrected = got.get(correction.toString());
            assertThat(corrected.outcome()).isEqualTo("NOT_HELD");
            assertThat(corrected.command()).isEqualTo("CorrectionRequested");
        }
    }
}
