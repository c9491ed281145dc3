package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.serviceToken;
import static io.pledge.consent.support.Consent.subjectToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.support.Db;
import io.pledge.consent.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountCancelled;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.consent.unsubscribe.UnsubscribeTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;

/**
 * After an erasure nothing more is recorded for the subject (issue 18), against the real database and broker: the
 * erasure arrives on the real rights.commands topic, then every write path is tried with the subject's own valid
 * token or a link issued before the erasure: a grant, a withdrawal, a refusal carrying DNT and Sec-GPC (the signal
 * records), a replayed Idempotency-Key, the unsubscribe link (GET and RFC 8058 POST), a new unsubscribe link, and a
 * late AccountCancelled on account.events. Each HTTP path is a 410 {@code urn:pledge:problem:gone} problem; the
 * subject stays erased, the ledger has no new row, the outbox nothing new for the subject, and consent.state shows
 * nothing after the tombstone. Nothing is faked but the token signer.
 */
@QuarkusTest
class ErasedSubjectTest {

    @Inject
    AgroalDataSource db;

    @Inject
    UnsubscribeTokens tokens;

    @Test
    void noWritePathRecordsOrPublishesAnythingForAnErasedSubject() throws Exception {
        UUID subject = UUID.randomUUID();
        given().auth().oauth2(subjectToken(subject)).header("Idempotency-Key", "grant-1").contentType(ContentType.JSON)
                .body(decision("marketing-email", "GIVEN")).when().post("/v1/consents/{s}/records", subject)
                .then().statusCode(201);
        String staleLink = given().auth().oauth2(serviceToken("notification-service")).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", "marketing-email"))
                .when().post("/v1/unsubscribe-tokens").then().statusCode(201).extract().path("token");

        UUID requestId = UUID.randomUUID();
        try (KafkaConsumer<String, byte[]> state = Topics.tail("consent.state")) {
            Topics.send(EventTypes.of(ErasureRequested.class), new ErasureRequested(requestId, subject, "6.3.4",
                    List.of("consent-records"), List.of("consent-service"), Instant.now(),
                    Instant.now().plus(Duration.ofDays(15))));
            Topics.await(state, r -> subject.toString().equals(r.key()) && r.value() == null, 1, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> Db.count(db, "select count(*) from known_subject "
                    + "where subject_id = ? and erased_at is not null and tombstone_sent_at is not null", subject) == 1);
            long records = Db.count(db, "select count(*) from consent_record where subject_id = ?", subject);
            long outbox = Db.count(db, "select count(*) from pledge_outbox where message_key = ?", subject.toString());
            String erasedAt = Db.string(db, "select cast(erased_at as text) from known_subject where subject_id = ?", subject);

            gone(given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON)
                    .body(decision("marketing-email", "GIVEN")).when().post("/v1/consents/{s}/records", subject));
            gone(given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON)
                    .body(decision("marketing-email", "WITHDRAWN")).when().post("/v1/consents/{s}/records", subject));
            gone(given().auth().oauth2(subjectToken(subject)).header("DNT", "1").header("Sec-GPC", "1")
                    .contentType(ContentType.JSON).body(decision("cookies-analytics", "REFUSED"))
                    .when().post("/v1/consents/{s}/records", subject));
            gone(given().auth().oauth2(subjectToken(subject)).header("Idempotency-Key", "grant-1")
                    .contentType(ContentType.JSON).body(decision("marketing-email", "GIVEN"))
                    .when().post("/v1/consents/{s}/records", subject));
            gone(given().queryParam("token", staleLink).when().get("/v1/unsubscribe"));
            gone(given().queryParam("token", staleLink).contentType("application/x-www-form-urlencoded")
                    .formParam("List-Unsubscribe", "One-Click").when().post("/v1/unsubscribe"));
            gone(given().queryParam("token", tokens.issue(subject, "marketing-phone").token()).when().get("/v1/unsubscribe"));
            gone(given().auth().oauth2(serviceToken("notification-service")).contentType(ContentType.JSON)
                    .body(Map.of("subjectId", subject.toString(), "purposeId", "marketing-email"))
                    .when().post("/v1/unsubscribe-tokens"));

            // a late AccountCancelled is consumed (a marker after it shows it was) and records nothing either
            String late = Topics.send(EventTypes.of(AccountCancelled.class),
                    new AccountCancelled(subject, Instant.now(), UUID.randomUUID()));
            String marker = Topics.send(EventTypes.of(ExportRequested.class), new ExportRequested(UUID.randomUUID(),
                    UUID.randomUUID(), List.of("consent-records"), List.of("consent-service"), "ACCESS", Instant.now(),
                    Instant.now()));
            await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(db,
                    "select count(*) from pledge_processed_event where event_id in (?, ?)", late, marker) == 2);

            assertThat(Db.string(db, "select cast(erased_at as text) from known_subject where subject_id = ?", subject))
                    .isEqualTo(erasedAt);
            assertThat(Db.count(db, "select count(*) from known_subject where subject_id = ? and tombstone_sent_at is not null",
                    subject)).isEqualTo(1);
            assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isEqualTo(records);
            assertThat(Db.count(db, "select count(*) from consent_state where subject_id = ?", subject)).isZero();
            assertThat(Db.count(db, "select count(*) from pledge_outbox where message_key = ?", subject.toString()))
                    .isEqualTo(outbox);
            // and the topic: another subject's change comes through, nothing of this subject after its tombstone
            UUID other = UUID.randomUUID();
            io.pledge.consent.support.Consent.decide(other, decision("marketing-phone", "GIVEN")).statusCode(201);
            List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
            Topics.await(state, r -> {
                seen.add(r);
                return other.toString().equals(r.key());
            }, 1, Duration.ofSeconds(60));
            assertThat(seen).noneMatch(r -> subject.toString().equals(r.key()) && r.value() != null);
        }
    }

    private static void gone(io.restassured.response.Response response) {
        ValidatableResponse then = response.then();
        then.statusCode(410).contentType(PROBLEM).body("type", equalTo("urn:pledge:problem:gone"))
                .body("status", equalTo(410));
    }
}
