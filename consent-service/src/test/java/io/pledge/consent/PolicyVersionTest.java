package io.pledge.consent;

import static io.pledge.consent.support.Consent.PROBLEM;
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
import io.pledge.consent.support.Topics;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.pledge.events.consent.ConsentRequested;
import io.pledge.events.consent.PolicyVersionPublished;
import io.pledge.kit.events.CloudEventHeaders;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy versions (9.2–9.4) against the real database and broker: a material change with too little notice
 * is refused; one with enough is published (PolicyVersionPublished read back from consent.events), asks
 * known subjects to re-consent to the purposes it changes, and every version stays retrievable.
 */
@QuarkusTest
class PolicyVersionTest {

    @Inject
    AgroalDataSource db;

    @Inject
    EventSchemas schemas;

    private static Map<String, Object> version(String label, Instant effective, boolean material, List<String> purposes) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", label);
        m.put("text", "Privacy policy " + label + ": profiling now also uses support tickets.");
        m.put("summary", "Profiling uses support tickets");
        m.put("effectiveAt", effective.toString());
        m.put("material", material);
        m.put("changedPurposes", purposes);
        return m;
    }

    @Test
    @Tag("clause-9.2")
    void aMaterialChangeIsAnnouncedBeforeItTakesEffectAndAsksForReConsent() throws Exception {
        UUID subject = UUID.randomUUID();
        decide(subject, decision("profiling", "GIVEN")).statusCode(201);
        String label = "t-" + UUID.randomUUID().toString().substring(0, 8);

        // too little notice for a material change (30 days by default)
        given().auth().oauth2(officerToken()).contentType(ContentType.JSON)
                .body(version(label, Instant.now().plus(10, ChronoUnit.DAYS), true, List.of("profiling")))
                .when().post("/v1/policy-versions").then().statusCode(422).contentType(PROBLEM)
                .body("field", equalTo("effectiveAt"));
        given().auth().oauth2(subjectToken(subject)).contentType(ContentType.JSON)
                .body(version(label, Instant.now().plus(40, ChronoUnit.DAYS), true, List.of("profiling")))
                .when().post("/v1/policy-versions").then().statusCode(403).contentType(PROBLEM);
        given().auth().oauth2(officerToken()).contentType(ContentType.JSON)
                .body(version(label, Instant.now().plus(40, ChronoUnit.DAYS), true, List.of("no-such-purpose")))
                .when().post("/v1/policy-versions").then().statusCode(422).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from policy_version where version = ?", label)).isZero();

        Map<String, Object> body = version(label, Instant.now().plus(31, ChronoUnit.DAYS), true, List.of("profiling"));
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(((String) body.get("text")).getBytes(StandardCharsets.UTF_8)));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("consent.events")) {
            given().auth().oauth2(officerToken()).contentType(ContentType.JSON).body(body)
                    .when().post("/v1/policy-versions").then().statusCode(201)
                    .body("contentSha256", equalTo(sha)).body("material", equalTo(true));
            ConsumerRecord<String, byte[]> r = Topics.await(topic, rec -> ("policy:" + label).equals(rec.key()), 1,
                    Duration.ofSeconds(30)).get(0);
            assertThat(Topics.header(r, CloudEventHeaders.TYPE)).isEqualTo(EventTypes.of(PolicyVersionPublished.class).type());
            schemas.validate(EventTypes.of(PolicyVersionPublished.class), new JsonObject(new String(r.value(), StandardCharsets.UTF_8)));
            PolicyVersionPublished e = EventJson.mapper().readValue(r.value(), PolicyVersionPublished.class);
            assertThat(e.material()).isTrue();
            assertThat(e.contentSha256()).isEqualTo(sha);
            assertThat(e.changedPurposes()).containsExactly("profiling");
        }
        // re-consent is requested from the known subject, naming the version
        String type = EventTypes.of(ConsentRequested.class).type();
        await().atMost(Duration.ofSeconds(60)).until(() -> Db.count(db, "select count(*) from pledge_outbox where "
                + "message_key = ? and ce_type = ? and payload like ?", subject.toString(), type, "%" + label + "%") == 1);
        assertThat(Db.string(db, "select payload from pledge_outbox where message_key = ? and ce_type = ? and payload like ?",
                subject.toString(), type, "%" + label + "%")).contains("POLICY_CHANGE").contains("profiling");
        // the version in force is still the old one until the effective date
        given().when().get("/v1/policy-versions/current").then().statusCode(200).body("version", equalTo("1.0"));

        // every version stays retrievable, with its text; versions never change
        given().when().get("/v1/policy-versions").then().statusCode(200).body("version", hasItems("1.0", label));
        given().when().get("/v1/policy-versions/{v}", label).then().statusCode(200)
                .body("text", equalTo(body.get("text"))).body("contentSha256", equalTo(sha));
        given().when().get("/v1/policy-versions/1.0").then().statusCode(200)
                .body("text", org.hamcrest.Matchers.containsString("Qiniu Cloud"));
        given().auth().oauth2(officerToken()).contentType(ContentType.JSON).body(body)
                .when().post("/v1/policy-versions").then().statusCode(409).contentType(PROBLEM);
        given().when().get("/v1/policy-versions/nope").then().statusCode(404).contentType(PROBLEM);
    }
}
