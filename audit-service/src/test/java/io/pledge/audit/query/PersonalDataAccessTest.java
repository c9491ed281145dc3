package io.pledge.audit.query;

import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.publish;
import static io.pledge.audit.AuditTestSupport.securityOfficer;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agroal.api.AgroalDataSource;
import io.pledge.events.EventTypes;
import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Reads of personal data are first-class entries (real service, database and broker): a PersonalDataAccessed event
 * is listed for operators with who read which fields of whose data, when and for which purpose; subjects cannot list
 * operators' reads across subjects.
 */
@QuarkusTest
@Tag("clause-5.2.3")
class PersonalDataAccessTest {

    @Inject
    AgroalDataSource db;

    @Test
    void operatorsSeeWhoReadWhatWhenAndWhy() {
        UUID subject = UUID.randomUUID();
        String operator = "support-" + UUID.randomUUID().toString().substring(0, 8);
        ObjectNode read = example(EventTypes.PERSONAL_DATA_ACCESSED);
        read.put("subjectId", subject.toString());
        read.put("accessorId", operator);
        read.put("accessorRole", "SUPPORT_AGENT");
        read.put("purposeId", "customer-support");
        read.putArray("fields").add("email").add("mobile");
        read.put("accessedAt", "2026-11-28T09:15:00Z");
        awaitRecorded(db, publish(EventTypes.PERSONAL_DATA_ACCESSED, read).id());

        given().auth().oauth2(securityOfficer()).queryParam("subjectId", subject.toString())
                .when().get("/v1/audit/personal-data-access").then()
                .statusCode(200)
                .body("total", equalTo(1))
                .body("items[0].subjectId", equalTo(subject.toString()))
                .body("items[0].accessorId", equalTo(operator))
                .body("items[0].accessorRole", equalTo("SUPPORT_AGENT"))
                .body("items[0].fields", contains("email", "mobile"))
                .body("items[0].purposeId", equalTo("customer-support"))
                .body("items[0].accessedAt", equalTo("2026-11-28T09:15:00Z"));
        given().auth().oauth2(securityOfficer()).queryParam("accessor", operator)
                .when().get("/v1/audit/personal-data-access").then()
                .statusCode(200).body("total", equalTo(1));

        // the subject sees the read in their own history, with the reader as holder
        given().auth().oauth2(TestTokens.subject(subject)).when().get("/v1/audit/subjects/" + subject + "/entries").then()
                .statusCode(200).body("items[0].holder", equalTo(operator))
                .body("items[0].action", equalTo("Personal data accessed"));

        given().auth().oauth2(TestTokens.subject(subject)).when().get("/v1/audit/personal-data-access").then()
                .statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(securityOfficer()).queryParam("from", "nope").when().get("/v1/audit/personal-data-access")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("from"));
    }
}
