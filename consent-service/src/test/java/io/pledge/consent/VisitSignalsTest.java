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
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Privacy signals outside the consent settings and cookie choices of visitors without an account (policies 3.1,
 * 3.2), against the real database: {@code POST /v1/signals}, which service-kit's SignalRelay calls with the subject's
 * own token when any service sees DNT or Sec-GPC on their request, records the opt-out of every tracking purpose once;
 * a device id keeps cookie choices with no personal data and they reach the subject's ledger when they sign in.
 * Faked: only the token signer.
 */
@QuarkusTest
class VisitSignalsTest {

    @Inject
    AgroalDataSource db;

    @Test
    @Tag("clause-3.1")
    void aSignalOnAnOrdinaryRequestIsRecordedOnceAsTheSubjectsOptOutOfTracking() {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("cookies-analytics", "GIVEN")).statusCode(201);
        assertThat(check(subject, "cookies-analytics").getBoolean("permitted")).isTrue();

        // no signal: nothing to record
        given().auth().oauth2(subjectToken(subject)).when().post("/v1/signals").then().statusCode(422).contentType(PROBLEM);
        given().header("Sec-GPC", "1").when().post("/v1/signals").then().statusCode(401);

        JsonPath first = given().auth().oauth2(subjectToken(subject)).header("Sec-GPC", "1").header("User-Agent", "UA/1")
                .when().post("/v1/signals").then().statusCode(200).body("signal", equalTo("GPC")).extract().jsonPath();
        assertThat(first.getList("records.purposeId")).containsExactlyInAnyOrder("cookies-analytics", "cookies-advertising",
                "email-tracking");
        assertThat(first.getList("records.channel")).containsOnly("GPC");
        for (String p : new String[] {"cookies-analytics", "cookies-advertising", "email-tracking"}) {
            assertThat(check(subject, p).getBoolean("permitted")).as(p).isFalse();
        }
        // the same signal again (the next ordinary request) records nothing new
        given().auth().oauth2(subjectToken(subject)).header("DNT", "1").when().post("/v1/signals").then().statusCode(200)
                .body("records", hasSize(0));
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ? and signal is not null", subject))
                .isEqualTo(3);
    }

    @Test
    @Tag("clause-3.1")
    void aDeviceWithoutAnAccountKeepsCookieChoicesWhichReachTheLedgerWhenItsVisitorSignsIn() {
        UUID device = UUID.randomUUID();
        given().when().get("/v1/devices/{d}/cookie-preferences", device).then().statusCode(200).body("choices", hasSize(0));
        // only policy-3 cookie choices, never a necessary one; bad values are problems and store nothing
        put(device, Map.of("choices", Map.of("profiling", "GIVEN"))).statusCode(422).contentType(PROBLEM);
        put(device, Map.of("choices", Map.of("cookies-necessary", "REFUSED"))).statusCode(422).contentType(PROBLEM);
        put(device, Map.of("choices", Map.of("cookies-analytics", "MAYBE"))).statusCode(400).contentType(PROBLEM);
        given().contentType(ContentType.JSON).body("{\"choices\":").when().put("/v1/devices/{d}/cookie-preferences", device)
                .then().statusCode(400).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from device_preference where device_id = ?", device)).isZero();

        put(device, Map.of("choices", Map.of("cookies-analytics", "GIVEN", "cookies-advertising", "REFUSED"))).statusCode(200)
                .body("choices.find { it.purposeId == 'cookies-analytics' }.status", equalTo("GIVEN"));
        // a DNT visit: opting in to tracking needs a confirmation; without one every tracking cookie is refused
        given().header("DNT", "1").contentType(ContentType.JSON).body(Map.of("choices", Map.of("cookies-advertising", "GIVEN")))
                .when().put("/v1/devices/{d}/cookie-preferences", device).then().statusCode(409).contentType(PROBLEM);
        given().header("DNT", "1").contentType(ContentType.JSON).body(Map.of("choices", Map.of()))
                .when().put("/v1/devices/{d}/cookie-preferences", device).then().statusCode(200)
                .body("choices.find { it.purposeId == 'cookies-analytics' }.status", equalTo("REFUSED"))
                .body("choices.find { it.purposeId == 'cookies-analytics' }.signal", equalTo("DNT"))
                .body("choices.find { it.purposeId == 'email-tracking' }.status", equalTo("REFUSED"));
        // nothing personal is kept with a device
        assertThat(Db.string(db, "select string_agg(column_name, ',' order by column_name) from information_schema.columns "
                + "where table_name = ?", "device_preference")).isEqualTo("device_id,purpose_id,signal,status,updated_at");
        UUID second = UUID.randomUUID();
        put(second, Map.of("choices", Map.of("cookies-analytics", "GIVEN"))).statusCode(200);

        // the visitor signs in: the device's choices become the subject's records, the device's rows go
        UUID subject = UUID.randomUUID();
        JsonPath claimed = given().auth().oauth2(subjectToken(subject)).when().post("/v1/devices/{d}/claim", second)
                .then().statusCode(200).extract().jsonPath();
        assertThat(claimed.getList("records.purposeId")).containsExactly("cookies-analytics");
        assertThat(check(subject, "cookies-analytics").getBoolean("permitted")).isTrue();
        assertThat(Db.count(db, "select count(*) from device_preference where device_id = ?", second)).isZero();

        UUID other = UUID.randomUUID();
        JsonPath refused = given().auth().oauth2(subjectToken(other)).when().post("/v1/devices/{d}/claim", device)
                .then().statusCode(200).extract().jsonPath();
        assertThat(refused.getList("records.status")).containsOnly("REFUSED");
        assertThat(check(other, "cookies-advertising").getString("reason")).isEqualTo("REFUSED");
        given().when().post("/v1/devices/{d}/claim", UUID.randomUUID()).then().statusCode(401);
    }

    private static io.restassured.response.ValidatableResponse put(UUID device, Map<String, Object> body) {
        return given().contentType(ContentType.JSON).body(body).when().put("/v1/devices/{d}/cookie-preferences", device).then();
    }
}
