package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.subjectToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.support.Db;
import io.pledge.consent.support.Topics;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.pledge.events.consent.ConsentWithdrawn;
import io.pledge.kit.events.CloudEventHeaders;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The consent ledger over HTTP against the real database pledge_consent and the real Kafka broker:
 * grants and withdrawals are appended, never rewritten (the database itself refuses), the check API
 * follows them, events reach consent.events. Only the token signer is a test key.
 */
@QuarkusTest
class ConsentLedgerTest {

    @Inject
    AgroalDataSource db;

    @Inject
    EventSchemas schemas;

    @Test
    @Tag("clause-6.4")
    void withdrawalStopsProcessingFromThatMomentAndNeverRewritesTheGrant() throws Exception {
        UUID subject = UUID.randomUUID();
        String granted = decide(subject, decision("profiling", "GIVEN")).statusCode(201)
                .body("record.status", equalTo("GIVEN")).body("record.actor", equalTo("SUBJECT"))
                .body("record.policyVersion", equalTo("1.0")).extract().path("record.recordId");
        assertThat(check(subject, "profiling").getBoolean("permitted")).isTrue();
        assertThat(check(subject, "profiling").getString("reason")).isEqualTo("GRANTED");

        try (KafkaConsumer<String, byte[]> topic = Topics.tail("consent.events")) {
            String withdrawn = decide(subject, decision("profiling", "WITHDRAWN")).statusCode(201)
                    .body("record.status", equalTo("WITHDRAWN")).extract().path("record.recordId");

            // processing after the withdrawal is refused, with the reason
            assertThat(check(subject, "profiling").getBoolean("permitted")).isFalse();
            assertThat(check(subject, "profiling").getString("reason")).isEqualTo("WITHDRAWN");

            // the ledger keeps both, the grant unchanged
            given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}/records", subject).then()
                    .statusCode(200).body("total", equalTo(2)).body("items", hasSize(2))
                    .body("items[0].recordId", equalTo(granted)).body("items[0].status", equalTo("GIVEN"))
                    .body("items[1].recordId", equalTo(withdrawn)).body("items[1].status", equalTo("WITHDRAWN"));
            assertThat(Db.string(db, "select status from consent_record where id = ?", UUID.fromString(granted)))
                    .isEqualTo("GIVEN");
            // ... and the database refuses to rewrite or delete any record
            assertThat(Db.failure(db, "update consent_record set status = 'WITHDRAWN' where id = ?", UUID.fromString(granted)))
                    .contains("append-only");
            assertThat(Db.failure(db, "delete from consent_record where id = ?", UUID.fromString(granted)))
                    .contains("append-only");
            assertThat(Db.failure(db, "truncate consent_record cascade")).contains("append-only");

            // ConsentWithdrawn read back from the real topic, valid against its published schema
            ConsumerRecord<String, byte[]> r = Topics.await(topic, rec -> subject.toString().equals(rec.key())
                    && EventTypes.of(ConsentWithdrawn.class).type().equals(Topics.header(rec, CloudEventHeaders.TYPE)),
                    1, Duration.ofSeconds(30)).get(0);
            schemas.validate(EventTypes.of(ConsentWithdrawn.class), new JsonObject(new String(r.value(), StandardCharsets.UTF_8)));
            ConsentWithdrawn event = EventJson.mapper().readValue(r.value(), ConsentWithdrawn.class);
            assertThat(event.subjectId()).isEqualTo(subject);
            assertThat(event.purposeId()).isEqualTo("profiling");
            assertThat(event.recordId()).isEqualTo(UUID.fromString(withdrawn));
            assertThat(event.channel()).isEqualTo("WEB");
            assertThat(event.actor()).isEqualTo("SUBJECT");
            assertThat(event.policyVersion()).isEqualTo("1.0");
            assertThat(Topics.header(r, CloudEventHeaders.SUBJECT)).isEqualTo(subject.toString());
        }

        // consent can be given again at any time (6.4); the ledger grows, nothing is rewritten
        decide(subject, decision("profiling", "GIVEN")).statusCode(201);
        assertThat(check(subject, "profiling").getBoolean("permitted")).isTrue();
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isEqualTo(3);
    }

    @Test
    @Tag("clause-2.2.2")
    void withdrawingProfilingStopsItButNeverTheCoreService() {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("profiling", "GIVEN")).statusCode(201);
        decide(subject, decision("third-party-matching", "GIVEN")).statusCode(201);
        decide(subject, decision("profiling", "WITHDRAWN")).statusCode(201);
        decide(subject, decision("third-party-matching", "WITHDRAWN")).statusCode(201);

        assertThat(check(subject, "profiling").getString("reason")).isEqualTo("WITHDRAWN");
        assertThat(check(subject, "third-party-matching").getString("reason")).isEqualTo("WITHDRAWN");
        // the core service and its notices stay permitted: they do not rest on consent (2.2.1, 2.4.7)
        assertThat(check(subject, "core-service").getBoolean("permitted")).isTrue();
        assertThat(check(subject, "core-service").getString("reason")).isEqualTo("NECESSARY");
        assertThat(check(subject, "business-notifications").getBoolean("permitted")).isTrue();
        assertThat(check(subject, "security").getString("reason")).isEqualTo("NECESSARY");
        // and a necessary purpose cannot be "withdrawn" into a broken account
        decide(subject, decision("core-service", "WITHDRAWN")).statusCode(422).contentType(PROBLEM)
                .body("field", equalTo("purposeId"));
    }

    @Test
    @Tag("clause-2.2.3")
    void marketingOptOutThroughTheApiEndsMarketing() {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("marketing-email", "GIVEN")).statusCode(201);
        decide(subject, decision("marketing-phone", "GIVEN")).statusCode(201);
        assertThat(check(subject, "marketing-email").getBoolean("permitted")).isTrue();

        decide(subject, decision("marketing-email", "WITHDRAWN", "channel", "APP")).statusCode(201)
                .body("record.channel", equalTo("APP"));
        assertThat(check(subject, "marketing-email").getBoolean("permitted")).isFalse();
        assertThat(check(subject, "marketing-email").getString("reason")).isEqualTo("WITHDRAWN");
        assertThat(check(subject, "marketing-phone").getBoolean("permitted")).isTrue();
        given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}", subject).then().statusCode(200)
                .body("consents.find { it.purposeId == 'marketing-email' }.status", equalTo("WITHDRAWN"))
                .body("consents.find { it.purposeId == 'marketing-phone' }.status", equalTo("GIVEN"));
    }

    @Test
    void theSameIdempotencyKeyTwiceReturnsTheFirstResultAndRecordsNothingNew() {
        UUID subject = UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String first = given().auth().oauth2(subjectToken(subject)).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(decision("profiling", "GIVEN"))
                .when().post("/v1/consents/{s}/records", subject).then().statusCode(201).extract().path("record.recordId");
        given().auth().oauth2(subjectToken(subject)).header("Idempotency-Key", key)
                .contentType(ContentType.JSON).body(decision("profiling", "GIVEN"))
                .when().post("/v1/consents/{s}/records", subject).then().statusCode(200)
                .body("record.recordId", equalTo(first));
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isEqualTo(1);
        assertThat(Db.count(db, "select count(*) from consent_receipt where subject_id = ?", subject)).isEqualTo(1);
    }

    @Test
    void badInputAndAnotherSubjectsIdAreProblemsAndChangeNothing() {
        UUID subject = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        decide(subject, decision("profiling", "GIVEN")).statusCode(201);
        long before = Db.count(db, "select count(*) from consent_record where subject_id in (?, ?)", subject, other);
        long outboxBefore = Db.count(db, "select count(*) from pledge_outbox where message_key in (?, ?)",
                subject.toString(), other.toString());

        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON).body("{\"purposeId\": ")
                .when().post("/v1/consents/{s}/records", subject).then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:malformed-json"));
        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON).body("{\"purposeId\":\"profiling\",\"channel\":\"WEB\"}")
                .when().post("/v1/consents/{s}/records", subject).then().statusCode(400).contentType(PROBLEM)
                .body("field", equalTo("decision"));
        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON)
                .body("{\"purposeId\":\"profiling\",\"decision\":\"MAYBE\",\"channel\":\"WEB\"}")
                .when().post("/v1/consents/{s}/records", subject).then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON)
                .body("{\"purposeId\":\"profiling\",\"decision\":\"GIVEN\",\"channel\":\"WEB\",\"surprise\":1}")
                .when().post("/v1/consents/{s}/records", subject).then().statusCode(400).contentType(PROBLEM)
                .body("field", equalTo("surprise"));
        decide(subject, decision("no-such-purpose", "GIVEN")).statusCode(422).contentType(PROBLEM)
                .body("field", equalTo("purposeId"));
        decide(subject, decision("profiling", "GIVEN", "expiresAt", "2001-01-01T00:00:00Z")).statusCode(400)
                .contentType(PROBLEM).body("field", equalTo("expiresAt"));
        // another subject's id: neither a write nor a read
        io.pledge.consent.support.Consent.decideAs(subjectToken(subject), other, decision("profiling", "GIVEN"))
                .statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}/records", other).then()
                .statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}", "not-a-uuid").then()
                .statusCode(404).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body(decision("profiling", "GIVEN"))
                .when().post("/v1/consents/{s}/records", subject).then().statusCode(401).contentType(PROBLEM);

        assertThat(Db.count(db, "select count(*) from consent_record where subject_id in (?, ?)", subject, other))
                .isEqualTo(before);
        assertThat(Db.count(db, "select count(*) from pledge_outbox where message_key in (?, ?)",
                subject.toString(), other.toString())).isEqualTo(outboxBefore);
        assertThat(check(subject, "profiling").getBoolean("permitted")).isTrue();
        assertThat(check(other, "profiling").getString("reason")).isEqualTo("NEVER_GRANTED");
    }
}
