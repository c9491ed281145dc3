package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.subjectToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.support.Db;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Cookies, beacons and privacy signals (3.1, 3.2) against the real database: a consent request carrying
 * {@code DNT: 1} or {@code Sec-GPC: 1} records an opt-out of advertising and tracking with channel DNT/GPC;
 * opting in against the signal needs, and records, an explicit confirmation.
 */
@QuarkusTest
class SignalsTest {

    @Inject
    AgroalDataSource db;

    private static io.restassured.response.ValidatableResponse post(UUID subject, Map<String, Object> body, String header) {
        return given().auth().oauth2(subjectToken(subject)).header(header, "1").header("User-Agent", "TestBrowser/1.0")
                .contentType(ContentType.JSON).body(body).when().post("/v1/consents/{s}/records", subject).then();
    }

    @Test
    @Tag("clause-3.1")
    @Tag("clause-3.2")
    void globalPrivacyControlRecordsAnOptOutOfTrackingAndAdvertising() {
        UUID subject = UUID.randomUUID();
        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON).body(decision("cookies-analytics", "GIVEN"))
                .when().post("/v1/consents/{s}/records", subject).then().statusCode(201);
        assertThat(check(subject, "cookies-analytics").getBoolean("permitted")).isTrue();

        // any consent request with Sec-GPC: 1 opts out of every tracking purpose
        post(subject, decision("marketing-email", "GIVEN"), "Sec-GPC").statusCode(201)
                .body("signalRecords", hasSize(3))
                .body("signalRecords.channel", org.hamcrest.Matchers.everyItem(equalTo("GPC")))
                .body("signalRecords.status", org.hamcrest.Matchers.everyItem(equalTo("REFUSED")));
        for (String p : new String[] {"cookies-analytics", "cookies-advertising", "email-tracking"}) {
            assertThat(check(subject, p).getString("reason")).as(p).isEqualTo("REFUSED");
        }
        assertThat(check(subject, "marketing-email").getBoolean("permitted")).isTrue();
        // a second signalled request records nothing new for purposes already refused
        post(subject, decision("marketing-phone", "GIVEN"), "Sec-GPC").statusCode(201).body("signalRecords", hasSize(0));
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ? and channel = 'GPC'", subject))
                .isEqualTo(3);
        // evidence: the network is truncated, the user agent sealed (never stored in clear)
        assertThat(Db.string(db, "select client_network from consent_record where subject_id = ? and channel = 'GPC' limit 1",
                subject)).endsWith(".0/24");
        assertThat(Db.string(db, "select user_agent from consent_record where subject_id = ? and channel = 'GPC' limit 1",
                subject)).startsWith("p1.").doesNotContain("TestBrowser");
    }

    @Test
    @Tag("clause-3.1")
    void optingInAgainstDoNotTrackNeedsAConfirmationWhichIsRecorded() {
        UUID subject = UUID.randomUUID();
        post(subject, decision("cookies-advertising", "GIVEN"), "DNT").statusCode(409).contentType(PROBLEM)
                .body("field", equalTo("confirmOverSignal"));
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isZero();

        post(subject, decision("cookies-advertising", "GIVEN", "confirmOverSignal", true), "DNT").statusCode(201)
                .body("record.status", equalTo("GIVEN")).body("record.signal", equalTo("DNT"))
                .body("record.explicitConfirmation", equalTo(true))
                .body("signalRecords", hasSize(2));
        assertThat(check(subject, "cookies-advertising").getBoolean("permitted")).isTrue();
        assertThat(check(subject, "cookies-analytics").getString("reason")).isEqualTo("REFUSED");
        assertThat(check(subject, "email-tracking").getString("reason")).isEqualTo("REFUSED");
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ? and channel = 'DNT'", subject))
                .isEqualTo(2);
    }
}
