package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decideAs;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.guardianToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.support.Db;
import io.pledge.consent.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.events.account.AccountRegistered;
import io.pledge.events.account.GuardianLinked;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Minors (policy 7) with events sent to the real account.events topic as account-service would, consumed
 * through the kit's inbox: for a ward only the linked guardian grants; the guardian acts on the ward's
 * consents; a redelivered event changes the view once; anyone else is refused.
 */
@QuarkusTest
class MinorsTest {

    @Inject
    AgroalDataSource db;

    @Test
    @Tag("clause-7")
    void onlyTheLinkedGuardianGrantsForAWardAndAnyoneElseIsRefused() throws Exception {
        UUID ward = UUID.randomUUID();
        UUID guardian = UUID.randomUUID();
        UUID stranger = UUID.randomUUID();
        Topics.send(EventTypes.of(AccountRegistered.class), new AccountRegistered(ward, "INDIVIDUAL", true, Instant.now()));
        String linkId = Topics.send(EventTypes.of(GuardianLinked.class), new GuardianLinked(ward, guardian, Instant.now()));
        await().atMost(Duration.ofSeconds(60)).until(() -> guardian.toString().equals(
                Db.string(db, "select guardian_id::text from known_subject where subject_id = ?", ward)));

        // the ward cannot grant; a stranger with the guardian role cannot act; the linked guardian can
        decide(ward, decision("marketing-email", "GIVEN")).statusCode(403).contentType(PROBLEM);
        decideAs(guardianToken(stranger), ward, decision("marketing-email", "GIVEN")).statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(guardianToken(stranger)).when().get("/v1/consents/{s}", ward).then().statusCode(403);
        assertThat(check(ward, "marketing-email").getString("reason")).isEqualTo("NEVER_GRANTED");

        decideAs(guardianToken(guardian), ward, decision("marketing-email", "GIVEN")).statusCode(201)
                .body("record.actor", equalTo("GUARDIAN")).body("record.actorId", equalTo(guardian.toString()))
                .body("record.channel", equalTo("GUARDIAN"));
        assertThat(check(ward, "marketing-email").getBoolean("permitted")).isTrue();
        // the guardian acts on the ward's consents and reads them; the ward may still withdraw
        decideAs(guardianToken(guardian), ward, decision("profiling", "REFUSED")).statusCode(201);
        given().auth().oauth2(guardianToken(guardian)).when().get("/v1/consents/{s}", ward).then().statusCode(200)
                .body("consents.size()", equalTo(2));
        decide(ward, decision("marketing-email", "WITHDRAWN")).statusCode(201).body("record.actor", equalTo("SUBJECT"));
        assertThat(check(ward, "marketing-email").getString("reason")).isEqualTo("WITHDRAWN");

        // the same GuardianLinked delivered again is skipped by the inbox: applied once
        Topics.send(EventTypes.of(GuardianLinked.class), new GuardianLinked(ward, stranger, Instant.now()), linkId);
        String marker = Topics.send(EventTypes.of(AccountRegistered.class), new AccountRegistered(ward, "INDIVIDUAL", true,
                Instant.now()));
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(db,
                "select count(*) from pledge_processed_event where event_id = ?", marker) == 1);
        assertThat(Db.count(db, "select count(*) from pledge_processed_event where event_id = ?", linkId)).isEqualTo(1);
        assertThat(Db.string(db, "select guardian_id::text from known_subject where subject_id = ?", ward))
                .isEqualTo(guardian.toString());
        decideAs(guardianToken(stranger), ward, decision("marketing-email", "GIVEN")).statusCode(403);
    }
}
