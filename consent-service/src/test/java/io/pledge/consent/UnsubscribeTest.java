package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
import static io.pledge.consent.support.Consent.check;
import static io.pledge.consent.support.Consent.decide;
import static io.pledge.consent.support.Consent.decision;
import static io.pledge.consent.support.Consent.serviceToken;
import static io.pledge.consent.support.Consent.subjectToken;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.support.Db;
import io.pledge.consent.unsubscribe.UnsubscribeTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * One-click unsubscribe (2.2.3) against the real database: a holder gets a signed, expiring link; following
 * it without logging in withdraws that marketing purpose (channel EMAIL_LINK); a tampered or expired
 * link is a problem and changes nothing.
 */
@QuarkusTest
class UnsubscribeTest {

    @Inject
    AgroalDataSource db;

    @Inject
    UnsubscribeTokens tokens;

    @Test
    @Tag("clause-2.2.3")
    void theLinkInAMarketingMessageWithdrawsThatPurposeWithoutLoggingIn() {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("marketing-email", "GIVEN")).statusCode(201);
        decide(subject, decision("marketing-phone", "GIVEN")).statusCode(201);
        String token = given().auth().oauth2(serviceToken("notification-service")).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", "marketing-email"))
                .when().post("/v1/unsubscribe-tokens").then().statusCode(201)
                .body("url", org.hamcrest.Matchers.startsWith("https://")).extract().path("token");

        given().queryParam("token", token).when().get("/v1/unsubscribe").then().statusCode(200)
                .body("purposeId", equalTo("marketing-email")).body("status", equalTo("WITHDRAWN"));
        assertThat(check(subject, "marketing-email").getString("reason")).isEqualTo("WITHDRAWN");
        assertThat(check(subject, "marketing-phone").getBoolean("permitted")).isTrue();
        assertThat(Db.string(db, "select channel from consent_record where subject_id = ? and status = 'WITHDRAWN'", subject))
                .isEqualTo("EMAIL_LINK");
        // following it again (or the RFC 8058 one-click POST) records nothing new
        given().queryParam("token", token).contentType("application/x-www-form-urlencoded").formParam("List-Unsubscribe", "One-Click")
                .when().post("/v1/unsubscribe").then().statusCode(200).body("status", equalTo("WITHDRAWN"));
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isEqualTo(3);
    }

    @Test
    @Tag("clause-2.2.3")
    void tamperedExpiredOrNonMarketingTokensAreProblemsAndChangeNothing() {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("marketing-email", "GIVEN")).statusCode(201);
        String token = tokens.issue(subject, "marketing-email").token();
        String[] parts = token.split("\\.");
        String otherSubject = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("{\"sub\":\"" + UUID.randomUUID() + "\",\"pur\":\"marketing-email\",\"exp\":9999999999}").getBytes());
        given().queryParam("token", parts[0] + "." + otherSubject + "." + parts[2]).when().get("/v1/unsubscribe").then()
                .statusCode(400).contentType(PROBLEM).body("field", equalTo("token"));
        given().queryParam("token", "garbage").when().get("/v1/unsubscribe").then().statusCode(400).contentType(PROBLEM);
        given().when().get("/v1/unsubscribe").then().statusCode(400).contentType(PROBLEM);
        String expired = tokens.issue(subject, "marketing-email", Instant.now().minusSeconds(60)).token();
        given().queryParam("token", expired).when().get("/v1/unsubscribe").then().statusCode(422).contentType(PROBLEM);
        // a receipt (signed by the same key) is not an unsubscribe token
        String receiptJws = given().auth().oauth2(subjectToken(subject)).when().get("/v1/consents/{s}/receipts", subject)
                .then().extract().path("[0].jws");
        given().queryParam("token", receiptJws).when().get("/v1/unsubscribe").then().statusCode(400).contentType(PROBLEM);
        // links exist for marketing purposes only
        given().auth().oauth2(serviceToken("notification-service")).contentType(ContentType.JSON)
                .body(Map.of("subjectId", subject.toString(), "purposeId", "profiling"))
                .when().post("/v1/unsubscribe-tokens").then().statusCode(422).contentType(PROBLEM);
        assertThat(check(subject, "marketing-email").getBoolean("permitted")).isTrue();
        assertThat(Db.count(db, "select count(*) from consent_record where subject_id = ?", subject)).isEqualTo(1);
    }
}
