package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.officerToken;
import static io.pledge.consent.support.Consent.subjectToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.support.Db;
import io.pledge.consent.support.Topics;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountCancelled;
import io.pledge.events.consent.ConsentRequested;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Consent requests answered (policies 2.3, 9.2) against the real database and broker: a new purpose or a material
 * policy version asks each known subject with a request of their own (ConsentRequested read back from the real
 * consent.events topic carries its id); the subject answers it, and the answer is a ledger record that names the
 * request and the policy version it was asked under. Faked: only the token signer (TestTokens).
 */
@QuarkusTest
class ConsentRequestTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;

    private static String newPurpose() {
        String id = "voice-analysis-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("description", "Analysing support calls to train assistants");
        body.put("clause", "2.3");
        body.put("legalBasis", "CONSENT");
        body.put("mechanism", "OPT_IN");
        body.put("dataCategories", List.of("contact", "usage"));
        given().auth().oauth2(officerToken()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/purposes").then().statusCode(201);
        return id;
    }

    private static Map<String, Object> answer(String decision) {
        return Map.of("decision", decision, "channel", "WEB");
    }

    private JsonPath requestOf(UUID subject, String purpose) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(subjectToken(subject))
                .when().get("/v1/consents/{s}/requests", subject).then().statusCode(200).extract().jsonPath(),
                j -> j.getList("findAll { it.purposeId == '" + purpose + "' }").size() == 1);
    }

    @Test
    @Tag("clause-2.3")
    void eachKnownSubjectIsAskedOnceAndTheirAnswerIsRecordedAgainstTheRequest() throws Exception {
        UUID subject = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        UUID cancelled = UUID.randomUUID();
        decide(subject, decision("profiling", "GIVEN")).statusCode(201);
        decide(other, decision("profiling", "GIVEN")).statusCode(201);
        decide(cancelled, decision("profiling", "GIVEN")).statusCode(201);
        Topics.send(EventTypes.ACCOUNT_CANCELLED, new AccountCancelled(cancelled, Instant.now(), UUID.randomUUID()));
        await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from known_subject where subject_id = ? "
                + "and cancelled_at is not null", cancelled) == 1);

        String purpose;
        ConsentRequested event;
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("consent.events")) {
            purpose = newPurpose();
            ConsumerRecord<String, byte[]> r = Topics.await(topic, rec -> subject.toString().equals(rec.key())
                    && new String(rec.value(), StandardCharsets.UTF_8).contains("\"" + purpose + "\""), 1,
                    Duration.ofSeconds(60)).get(0);
            schemas.validate(EventTypes.CONSENT_REQUESTED, new JsonObject(new String(r.value(), StandardCharsets.UTF_8)));
            event = EventJson.mapper().readValue(r.value(), ConsentRequested.class);
        }
        assertThat(event.reason()).isEqualTo("NEW_PURPOSE");
        assertThat(event.requestId()).isNotNull();

        JsonPath mine = requestOf(subject, purpose);
        String path = "find { it.purposeId == '" + purpose + "' }";
        assertThat(mine.getString(path + ".requestId")).isEqualTo(event.requestId().toString());
        assertThat(mine.getString(path + ".reason")).isEqualTo("NEW_PURPOSE");
        assertThat(mine.getString(path + ".answeredAt")).isNull();
        requestOf(other, purpose);
        // the fan-out of this purpose is done once every known subject was asked; the cancelled account was not
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(db, "select count(*) from consent_request_job "
                + "where purpose_id = ? and done_at is not null", purpose) == 1);
        assertThat(Db.count(db, "select count(*) from consent_request where purpose_id = ? and subject_id = ?", purpose,
                cancelled)).isZero();
        assertThat(Db.count(db, "select count(*) from consent_request where purpose_id = ? and subject_id = ?", purpose,
                subject)).isEqualTo(1);

        UUID request = event.requestId();
        // another subject cannot read or answer it; a bad body or an unknown request is a problem; nothing recorded
        given().auth().oauth2(subjectToken(other)).when().get("/v1/consent-requests/{r}", request)
                .then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(subjectToken(other)).contentType(ContentType.JSON).body(answer("GIVEN"))
                .when().post("/v1/consent-requests/{r}/answer", request).then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON).body(answer("WITHDRAWN"))
                .when().post("/v1/consent-requests/{r}/answer", request).then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON).body("{\"decision\":")
                .when().post("/v1/consent-requests/{r}/answer", request).then().statusCode(400).contentType(PROBLEM);
        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON).body(answer("GIVEN"))
                .when().post("/v1/consent-requests/{r}/answer", UUID.randomUUID()).then().statusCode(404).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ? and purpose_id = ?", subject, purpose))
                .isZero();
        assertThat(check(subject, purpose).getString("reason")).isEqualTo("NEVER_GRANTED");

        // the subject follows the notice's link and answers
        given().auth().oauth2(subjectToken(subject)).when().get("/v1/consent-requests/{r}", request)
                .then().statusCode(200).body("purposeId", equalTo(purpose));
        JsonPath answered = given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON).body(answer("GIVEN"))
                .when().post("/v1/consent-requests/{r}/answer", request).then().statusCode(201).extract().jsonPath();
        assertThat(answered.getString("record.requestId")).isEqualTo(request.toString());
        assertThat(answered.getString("record.status")).isEqualTo("GIVEN");
        assertThat(answered.getString("record.policyVersion")).isEqualTo("1.0");
        String recordId = answered.getString("record.recordId");
        assertThat(Db.string(db, "select cast(request_id as text) from consent_record where id = cast(? as uuid)", recordId))
                .isEqualTo(request.toString());
        assertThat(check(subject, purpose).getBoolean("permitted")).isTrue();
        JsonPath after = requestOf(subject, purpose);
        assertThat(after.getString(path + ".answerRecordId")).isEqualTo(recordId);
        assertThat(after.getString(path + ".answeredAt")).isNotNull();

        // answered once: a second answer changes nothing (the consent itself is changed in the settings)
        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON).body(answer("REFUSED"))
                .when().post("/v1/consent-requests/{r}/answer", request).then().statusCode(409).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ? and purpose_id = ?", subject, purpose))
                .isEqualTo(1);
        // the ledger itself names the request
        given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}/records", subject).then().statusCode(200)
                .body("items.find { it.purposeId == '" + purpose + "' }.requestId", equalTo(request.toString()));
    }

    @Test
    @Tag("clause-9.2")
    void aReConsentAnswerLandsInTheLedgerAgainstTheMaterialVersionBeforeItTakesEffect() {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("profiling", "GIVEN")).statusCode(201);
        String label = "rc-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", label);
        body.put("text", "Profiling now also uses support tickets. " + label);
        body.put("summary", "Profiling uses support tickets");
        body.put("effectiveAt", Instant.now().plus(31, ChronoUnit.DAYS).toString());
        body.put("material", true);
        body.put("changedPurposes", List.of("profiling"));
        given().auth().oauth2(officerToken()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/policy-versions").then().statusCode(201);

        JsonPath requests = await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(subjectToken(subject))
                .when().get("/v1/consents/{s}/requests", subject).then().statusCode(200).extract().jsonPath(),
                j -> j.getList("findAll { it.policyVersion == '" + label + "' }").size() == 1);
        String path = "find { it.policyVersion == '" + label + "' }";
        assertThat(requests.getString(path + ".reason")).isEqualTo("POLICY_CHANGE");
        assertThat(requests.getString(path + ".purposeId")).isEqualTo("profiling");
        String request = requests.getString(path + ".requestId");

        JsonPath answered = given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON).body(answer("REFUSED"))
                .when().post("/v1/consent-requests/{r}/answer", request).then().statusCode(201).extract().jsonPath();
        // recorded against the version that asked, although 1.0 is still the one in force
        assertThat(answered.getString("record.policyVersion")).isEqualTo(label);
        assertThat(answered.getString("record.requestId")).isEqualTo(request);
        given().when().get("/v1/policy-versions/current").then().statusCode(200).body("version", equalTo("1.0"));
        assertThat(check(subject, "profiling").getString("reason")).isEqualTo("REFUSED");
        assertThat(Db.count(db, "select count(*) from consent_record where request_id = cast(? as uuid) and policy_version = ?",
                request, label)).isEqualTo(1);
    }
}
