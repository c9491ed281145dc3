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
import static org.hamcrest.Matchers.hasItems;

import io.agroal.api.AgroalDataSource;
import io.pledge.consent.support.Db;
import io.pledge.events.EventTypes;
import io.pledge.events.consent.ConsentRequested;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The purpose catalogue against the real database and broker: seeded from the policy with a legal basis
 * per purpose; a purpose added by a privacy officer asks known subjects for consent (ConsentRequested in
 * the outbox, relayed to consent.events) and is refused until granted.
 */
@QuarkusTest
class PurposeCatalogueTest {

    @Inject
    AgroalDataSource db;

    @Test
    @Tag("clause-2.2")
    void everyPurposeHasALegalBasisAndCoreOnesNeedNoConsent() {
        given().when().get("/v1/purposes").then().statusCode(200)
                .body("id", hasItems("core-service", "business-notifications", "security", "profiling",
                        "third-party-matching", "marketing-email", "marketing-phone", "cookies-analytics",
                        "cookies-advertising", "email-tracking", "sharing-affiliates", "sharing-partners",
                        "sharing-sensitive", "cross-border-transfer"))
                .body("find { it.id == 'core-service' }.legalBasis", equalTo("CONTRACT_2_4_7"))
                .body("find { it.id == 'core-service' }.mechanism", equalTo("NECESSARY"))
                .body("find { it.id == 'core-service' }.core", equalTo(true))
                .body("find { it.id == 'security' }.legalBasis", equalTo("SECURITY_2_4_8"))
                .body("find { it.id == 'legal-disclosure' }.legalBasis", equalTo("LEGAL_DUTY_2_4_10"))
                .body("find { it.id == 'profiling' }.legalBasis", equalTo("CONSENT"))
                .body("find { it.id == 'profiling' }.mechanism", equalTo("OPT_IN"))
                .body("find { it.id == 'marketing-email' }.clause", equalTo("2.2.3"))
                .body("find { it.id == 'sharing-sensitive' }.sensitive", equalTo(true));
        // every consent-based purpose is refused until granted; every necessary one is permitted
        UUID subject = UUID.randomUUID();
        List<Map<String, Object>> purposes = given().when().get("/v1/purposes").then().extract().jsonPath().getList("$");
        for (Map<String, Object> p : purposes) {
            if (Boolean.TRUE.equals(p.get("perRecipient"))) {
                continue;
            }
            String expected = switch ((String) p.get("mechanism")) {
                case "NECESSARY" -> "NECESSARY";
                case "OPT_OUT" -> "NOT_OBJECTED";
                default -> "NEVER_GRANTED";
            };
            assertThat(check(subject, (String) p.get("id")).getString("reason")).as((String) p.get("id")).isEqualTo(expected);
        }
    }

    @Test
    @Tag("clause-2.3")
    void aNewPurposeRequestsConsentFromKnownSubjectsAndIsRefusedUntilGranted() {
        UUID known = UUID.randomUUID();
        decide(known, decision("profiling", "GIVEN")).statusCode(201);
        String id = "voice-analysis-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("description", "Analysing support calls to train assistants");
        body.put("clause", "2.3");
        body.put("legalBasis", "CONSENT");
        body.put("mechanism", "OPT_IN");
        body.put("dataCategories", List.of("contact", "usage"));

        given().auth().oauth2(subjectToken(known)).contentType(ContentType.JSON).body(body)
                .when().post("/v1/purposes").then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(officerToken()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/purposes").then().statusCode(201).body("id", equalTo(id));
        given().auth().oauth2(officerToken()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/purposes").then().statusCode(409).contentType(PROBLEM);

        String type = EventTypes.of(ConsentRequested.class).type();
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(db, "select count(*) from pledge_outbox where "
                + "message_key = ? and ce_type = ? and payload like ?", known.toString(), type, "%\"" + id + "\"%") == 1);
        assertThat(Db.string(db, "select payload from pledge_outbox where message_key = ? and ce_type = ? and payload like ?",
                known.toString(), type, "%\"" + id + "\"%")).contains("\"reason\":\"NEW_PURPOSE\"");

        assertThat(check(known, id).getString("reason")).isEqualTo("NEVER_GRANTED");
        decide(known, decision(id, "GIVEN")).statusCode(201);
        assertThat(check(known, id).getBoolean("permitted")).isTrue();
    }

    @Test
    void anInvalidPurposeIsAProblemAndAddsNothing() {
        String id = "bad-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("description", "necessary but claims consent");
        body.put("clause", "2.2");
        body.put("legalBasis", "CONSENT");
        body.put("mechanism", "NECESSARY");
        body.put("dataCategories", List.of("usage"));
        given().auth().oauth2(officerToken()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/purposes").then().statusCode(422).contentType(PROBLEM).body("field", equalTo("legalBasis"));
        body.put("mechanism", "SOMETIMES");
        given().auth().oauth2(officerToken()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/purposes").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("mechanism"));
        body.remove("dataCategories");
        body.put("mechanism", "OPT_IN");
        given().auth().oauth2(officerToken()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/purposes").then().statusCode(400).contentType(PROBLEM).body("field", equalTo("dataCategories"));
        assertThat(Db.count(db, "select count(*) from purpose where id = ?", id)).isZero();
    }
}
