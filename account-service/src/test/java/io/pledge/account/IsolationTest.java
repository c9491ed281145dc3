package io.pledge.account;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.account.token.TokenIssuer;
import io.pledge.kit.security.Roles;
import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Subject A never reaches subject B's data on any endpoint; tokens that are forged, expired, foreign,
 * or not bound to a live session are refused; bad input is a 4xx problem and changes nothing.
 */
@QuarkusTest
@Tag("clause-2.1.1.1")
class IsolationTest {

    @Inject
    TokenIssuer issuer;
    @Inject
    AgroalDataSource db;

    @Inject
    Api api;

    @Test
    void subjectANeverReadsOrChangesSubjectB() {
        Api.Person a = api.adult("iso-a");
        Api.Person b = api.adult("iso-b");
        String bBefore = Db.string(db, "select concat(user_name, email, mobile, password_hash, status) from account where id = ?", b.id());
        Api.as(a).when().get("/v1/accounts/{id}", b.id()).then().statusCode(403).contentType(PROBLEM);
        Api.as(a).body(Map.of("nickname", "x")).when().put("/v1/accounts/{id}/profile", b.id()).then().statusCode(403);
        Api.as(a).when().delete("/v1/accounts/{id}/profile/nickname", b.id()).then().statusCode(403);
        Api.as(a).body(Map.of("userName", "takeover1")).when().put("/v1/accounts/{id}/user-name", b.id()).then().statusCode(403);
        Api.as(a).body(Map.of("value", "thief@example.com", "currentPassword", a.password())).when().post("/v1/accounts/{id}/contacts/email", b.id())
                .then().statusCode(403);
        Api.as(a).body(Map.of("method", "FACE", "providerRef", "x")).when().post("/v1/accounts/{id}/real-name", b.id())
                .then().statusCode(403);
        Api.as(a).when().get("/v1/accounts/{id}/real-name", b.id()).then().statusCode(403);
        Api.as(a).when().get("/v1/accounts/{id}/holds", b.id()).then().statusCode(403);
        Api.as(a).when().get("/v1/accounts/{id}/export", b.id()).then().statusCode(403);
        Api.as(a).when().post("/v1/accounts/{id}/cancellation", b.id()).then().statusCode(403);
        Api.as(a).when().post("/v1/accounts/{id}/compromise-reports", b.id()).then().statusCode(403);
        Api.as(a).when().delete("/v1/accounts/{id}", b.id()).then().statusCode(403);
        Api.as(a).body(Map.of("linkCode", "ABCDEFGHJK", "consent", true)).when()
                .post("/v1/accounts/{id}/guardian", b.id()).then().statusCode(422);
        // a subject is not a holder
        Api.as(a).when().get("/internal/v1/entitlements/{id}/core-services", b.id()).then().statusCode(403);
        Api.as(a).when().get("/internal/v1/real-name/{id}", b.id()).then().statusCode(403);
        Api.as(a).body(Map.of("kind", "DISPUTE")).when().post("/internal/v1/accounts/{id}/holds", b.id()).then().statusCode(403);
        assertThat(Db.string(db, "select concat(user_name, email, mobile, password_hash, status) from account where id = ?", b.id()))
                .isEqualTo(bBefore);
        Api.as(b).when().get("/v1/accounts/{id}", b.id()).then().statusCode(200).body("status", equalTo("ACTIVE"));
    }

    @Test
    void forgedExpiredForeignOrSessionlessTokensAreRefused() {
        Api.Person a = api.adult("tok");
        // the right subject and role, but minted by a key account-service does not trust (the kit's test key)
        given().auth().oauth2(TestTokens.subject(a.id())).when().get("/v1/accounts/{id}", a.id()).then().statusCode(401)
                .contentType(PROBLEM);
        // signed by account-service but not bound to a login session
        given().auth().oauth2(issuer.sign(a.id().toString(), Set.of(Roles.SUBJECT), Duration.ofMinutes(5)))
                .when().get("/v1/accounts/{id}", a.id()).then().statusCode(401).contentType(PROBLEM);
        // expired
        given().auth().oauth2(issuer.sign(a.id().toString(), Set.of(Roles.SUBJECT), Duration.ofMinutes(-5)))
                .when().get("/v1/accounts/{id}", a.id()).then().statusCode(401);
        // tampered: B's id pasted into A's valid token
        String[] parts = a.access().split("\\.");
        String claims = new String(java.util.Base64.getUrlDecoder().decode(parts[1]));
        String forged = parts[0] + "." + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                claims.replace(a.id().toString(), UUID.randomUUID().toString()).getBytes()) + "." + parts[2];
        given().auth().oauth2(forged).when().get("/v1/accounts/{id}", a.id()).then().statusCode(401);
        Api.as(a).when().get("/v1/accounts/{id}", a.id()).then().statusCode(200);
    }

    @Test
    void malformedOrOversizedInputIsA4xxProblemAndChangesNothing() {
        long accounts = Db.count(db, "select count(*) from account");
        String address = Api.newAddress();
        Api.from(address).body("{\"userName\": ").when().post("/v1/accounts").then().statusCode(400).contentType(PROBLEM)
                .body("type", equalTo("urn:pledge:problem:malformed-json"));
        Map<String, Object> r = Api.registration("bad", java.time.LocalDate.of(1990, 1, 1));
        r.remove("password");
        Api.from(address).body(r).when().post("/v1/accounts").then().statusCode(400).body("field", equalTo("password"));
        for (String[] bad : new String[][] {{"email", "not-an-email"}, {"mobile", "12ab"}, {"userName", "a"},
                {"password", "short"}, {"birthDate", "2999-01-01"}, {"userName", "x".repeat(65)}}) {
            Map<String, Object> m = Api.registration("bad", java.time.LocalDate.of(1990, 1, 1));
            m.put(bad[0], bad[1]);
            Api.from(address).body(m).when().post("/v1/accounts").then().statusCode(400).contentType(PROBLEM)
                    .body("field", equalTo(bad[0]));
        }
        Map<String, Object> extra = Api.registration("bad", java.time.LocalDate.of(1990, 1, 1));
        extra.put("isAdmin", true);
        Api.from(address).body(extra).when().post("/v1/accounts").then().statusCode(400).body("field", equalTo("isAdmin"));
        Map<String, Object> huge = Api.registration("bad", java.time.LocalDate.of(1990, 1, 1));
        huge.put("city", "x".repeat(300 * 1024));
        Api.from(address).body(huge).when().post("/v1/accounts").then().statusCode(413).contentType(PROBLEM);
        given().contentType(ContentType.TEXT).body("x").when().post("/v1/sessions").then().statusCode(415);
        assertThat(Db.count(db, "select count(*) from account")).isEqualTo(accounts);

        Api.Person p = api.adult("badprofile");
        Api.as(p).body(Map.of("qq", "abc")).when().put("/v1/accounts/{id}/profile", p.id()).then().statusCode(400)
                .body("field", equalTo("qq"));
        Api.as(p).body(Map.of("website", "javascript:alert(1)")).when().put("/v1/accounts/{id}/profile", p.id())
                .then().statusCode(400);
        Api.as(p).when().delete("/v1/accounts/{id}/profile/password", p.id()).then().statusCode(404).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from profile where subject_id = ?", p.id())).isZero();
    }
}
