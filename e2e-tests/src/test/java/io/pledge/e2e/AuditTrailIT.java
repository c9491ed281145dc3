package io.pledge.e2e;

import io.pledge.kit.testing.TestKafka;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A scenario across the packaged services ({@link PledgeSystem}): a subject grants and then
 * withdraws consent over HTTP at consent-service; every event consent-service published for them
 * (read back from the real topics with a plain Kafka client) lands in audit-service's record exactly
 * once, the subject reads that history with their own token, another subject cannot, and the
 * ledger still verifies. Nothing is faked; the subject registers and logs in for real.
 */
@ExtendWith(PledgeSystem.class)
class AuditTrailIT {

    @Test
    @Tag("clause-6.1")
    @Tag("clause-5.2")
    @Tag("audit-service")
    void everyEventOfAConsentScenarioLandsInTheAuditRecordOnce() throws Exception {
        Subjects.Person person = Subjects.register("audit");
        String subject = person.id().toString();
        String token = person.access();
        for (String decision : new String[] {"GIVEN", "WITHDRAWN"}) {
            given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(token).contentType(ContentType.JSON)
                    .body(Map.of("purposeId", "marketing-email", "decision", decision, "channel", "WEB"))
                    .when().post("/v1/consents/" + subject + "/records").then().statusCode(201);
        }

        List<String> published = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
            published.clear();
            published.addAll(eventIdsFor(subject, "consent.events", "consent.state"));
            return published.size() >= 2;
        });
        assertThat(published).doesNotHaveDuplicates();

        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofSeconds(1)).until(() ->
                auditedEventIds(subject, token).containsAll(published));
        List<String> audited = auditedEventIds(subject, token);
        for (String id : published) {
            assertThat(audited).as("audit entries of event %s", id).containsOnlyOnce(id);
        }
        assertThat(audited).doesNotHaveDuplicates();

        String other = Subjects.register("audit-other").access();
        given().baseUri(PledgeSystem.AUDIT.url()).auth().oauth2(other).when()
                .get("/v1/audit/subjects/" + subject + "/entries").then()
                .statusCode(403).contentType("application/problem+json");

        String officer = Subjects.officer();
        given().baseUri(PledgeSystem.AUDIT.url()).auth().oauth2(officer).when().get("/v1/audit/verification").then()
                .statusCode(200).body("valid", org.hamcrest.Matchers.equalTo(true));
    }

    private static List<String> auditedEventIds(String subject, String token) {
        return given().baseUri(PledgeSystem.AUDIT.url()).auth().oauth2(token).queryParam("size", 500)
                .when().get("/v1/audit/subjects/" + subject + "/entries").then().statusCode(200)
                .extract().jsonPath().getList("items.eventId", String.class);
    }

    private static List<String> eventIdsFor(String subject, String... topics) {
        Properties p = TestKafka.clientProperties(TestKafka.OPERATOR, PledgeSystem.KAFKA);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "e2e-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<String> ids = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(p)) {
            c.subscribe(List.of(topics));
            long end = System.nanoTime() + Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> r : c.poll(Duration.ofMillis(300))) {
                    if (subject.equals(r.key()) && r.headers().lastHeader("ce_id") != null) {
                        ids.add(new String(r.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
                    }
                }
            }
        }
        return ids;
    }
}
