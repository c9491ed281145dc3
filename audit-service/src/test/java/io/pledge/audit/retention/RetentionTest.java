package io.pledge.audit.retention;

import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.entries;
import static io.pledge.audit.AuditTestSupport.example;
import static io.pledge.audit.AuditTestSupport.officer;
import static io.pledge.audit.AuditTestSupport.publish;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.pledge.audit.ledger.AuditEntry;
import io.pledge.audit.ledger.EntryHasher;
import io.pledge.events.EventTypes;
import io.pledge.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Retention per category on the real database: in the test profile notification bodies are kept two seconds
 * (production: a year). A run redacts the body of an older entry of that category and keeps its envelope and
 * hashes, so the entry stays in the subject's history and the chain still verifies; other categories are untouched.
 */
@QuarkusTest
@Tag("clause-5.4")
class RetentionTest {

    @Inject
    AgroalDataSource db;

    @Inject
    Retention retention;

    @Test
    void bodiesPastTheirCategorysPeriodAreRedactedAndTheChainStillVerifies() throws InterruptedException {
        AuditEntry notice = awaitRecorded(db, publish(EventTypes.NOTICE_DELIVERED, example(EventTypes.NOTICE_DELIVERED)).id());
        AuditEntry consent = awaitRecorded(db, publish(EventTypes.CONSENT_GRANTED, example(EventTypes.CONSENT_GRANTED)).id());
        Thread.sleep(2_500);

        retention.run(Instant.now());

        AuditEntry redacted = entries(db, "seq = ?", notice.seq()).get(0);
        assertThat(redacted.body()).isNull();
        assertThat(redacted.redactedAt()).isNotNull();
        assertThat(redacted.bodySha256()).isEqualTo(notice.bodySha256());
        assertThat(EntryHasher.same(redacted.entryHash(), notice.entryHash())).isTrue();
        assertThat(entries(db, "seq = ?", consent.seq()).get(0).body()).isEqualTo(consent.body());

        given().auth().oauth2(TestTokens.subject(notice.subjectId()))
                .when().get("/v1/audit/subjects/" + notice.subjectId() + "/entries").then()
                .statusCode(200).body("total", equalTo(1))
                .body("items[0].redacted", equalTo(true)).body("items[0].body", nullValue());
        given().auth().oauth2(officer()).when().get("/v1/audit/verification").then()
                .statusCode(200).body("valid", equalTo(true));
    }
}
