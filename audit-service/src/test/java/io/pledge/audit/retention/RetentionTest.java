package io.pledge.audit.retention;

import static io.pledge.audit.AuditTestSupport.awaitRecorded;
import static io.pledge.audit.AuditTestSupport.deadLetterOf;
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
import io.pledge.audit.ledger.Categories;
import io.pledge.events.EventType;
import io.restassured.path.json.JsonPath;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import static org.awaitility.Awaitility.await;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Retention per category on the real database: in the test profile notification bodies are kept two seconds
 * (production: a year). A run redacts the body of an older entry of that category and keeps its envelope and
 * hashes, so the entry stays in the subject's history and the chain still verifies; other categories are untouched.
 * Every category the ledger records has a rule, each rule runs on the schedule (the scheduler of the service under
 * test, whose first run is at start) and each redacts its own category's bodies once its period has passed.
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

    @Test
    void everyCategoryHasARuleThatRunsOnScheduleAndRedactsItsOwnBodiesOnlyAfterItsPeriod() {
        // one entry of every category, recorded from the real topics
        Map<String, EventType<?>> samples = new LinkedHashMap<>();
        samples.put(Categories.ACCOUNT, EventTypes.ACCOUNT_REGISTERED);
        samples.put(Categories.CONSENT, EventTypes.CONSENT_GRANTED);
        samples.put(Categories.RIGHTS, EventTypes.ERASURE_REQUESTED);
        samples.put(Categories.NOTIFICATION, EventTypes.NOTICE_DELIVERED);
        samples.put(Categories.PERSONAL_DATA_ACCESS, EventTypes.PERSONAL_DATA_ACCESSED);
        Map<String, AuditEntry> recorded = new LinkedHashMap<>();
        for (Map.Entry<String, EventType<?>> s : samples.entrySet()) {
            AuditEntry e = awaitRecorded(db, publish(s.getValue(), example(s.getValue())).id());
            assertThat(e.category()).isEqualTo(s.getKey());
            recorded.put(s.getKey(), e);
        }
        // a refused event: its dead letter's metadata is the dead-letter category's entry
        com.fasterxml.jackson.databind.node.ObjectNode bad = example(EventTypes.ACCOUNT_REGISTERED);
        bad.put("email", "someone@example.com");
        String refused = publish(EventTypes.ACCOUNT_REGISTERED, bad).id();
        await().atMost(Duration.ofSeconds(60)).until(() -> deadLetterOf(db, refused).isPresent());
        recorded.put(Categories.DEAD_LETTER, deadLetterOf(db, refused).orElseThrow());
        assertThat(recorded.keySet()).containsExactlyInAnyOrderElementsOf(Categories.ALL);

        // every category has a rule, and the schedule has run each of them
        JsonPath rules = await().atMost(Duration.ofSeconds(60)).until(() -> given().auth().oauth2(officer())
                .when().get("/v1/audit/retention").then().statusCode(200).extract().jsonPath(),
                j -> j.getList("findAll { it.lastScheduledRunAt != null }").size() == Categories.ALL.size());
        assertThat(rules.getList("category", String.class)).containsExactlyElementsOf(Categories.ALL);
        for (String category : Categories.ALL) {
            assertThat(rules.getString("find { it.category == '" + category + "' }.period")).as(category).isNotNull();
        }
        given().auth().oauth2(TestTokens.subject(java.util.UUID.randomUUID())).when().get("/v1/audit/retention")
                .then().statusCode(403);

        // each rule: nothing before its period has passed, its own category's body once it has, no other category's
        for (Map.Entry<String, AuditEntry> r : recorded.entrySet()) {
            String category = r.getKey();
            AuditEntry entry = r.getValue();
            Duration period = Duration.parse(rules.getString("find { it.category == '" + category + "' }.period"));
            retention.runRule(category, entry.recordedAt().plus(period).minusSeconds(60));
            assertThat(entries(db, "seq = ?", entry.seq()).get(0).body()).as(category + " before its period").isNotNull();
            retention.runRule(category, entry.recordedAt().plus(period).plusSeconds(1));
            AuditEntry after = entries(db, "seq = ?", entry.seq()).get(0);
            assertThat(after.body()).as(category + " after its period").isNull();
            assertThat(after.redactedAt()).isNotNull();
            for (Map.Entry<String, AuditEntry> o : recorded.entrySet()) {
                if (!o.getKey().equals(category) && o.getValue().seq() > entry.seq()) {
                    assertThat(entries(db, "seq = ?", o.getValue().seq()).get(0).body()).as(o.getKey() + " untouched by "
                            + category).isNotNull();
                }
            }
        }
        given().auth().oauth2(officer()).when().get("/v1/audit/verification").then()
                .statusCode(200).body("valid", equalTo(true));
    }
}
