package io.pledge.account.usage;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.account.support.Topics;
import io.pledge.account.support.StaffAccounts;
import io.pledge.account.token.TokenIssuer;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.security.Roles;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 2.1.2, device, log and location data de-identified once tied to an account: records posted
 * over HTTP from a forwarded client address (as the gateway sends it), read back from the real
 * database with plain JDBC; re-identification audit events read from the real account.events topic.
 * Officers sign in for real (staff account, password and TOTP, {@code StaffAccounts}).
 */
@QuarkusTest
@Tag("clause-2.1.2")
class UsageTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    TokenIssuer issuer;

    @Inject
    StaffAccounts staff;
    @Inject
    Api api;

    static Map<String, Object> report() {
        return Map.of("action", "console.open", "deviceModel", "iPhone15,2", "os", "iOS-17.4", "appVersion", "3.2.1",
                "language", "zh-CN", "areaId", "CN-31");
    }

    private String row(UUID recordId) {
        return Db.string(db, "select concat_ws('|', id, pseudonym, action, device_model, os, app_version, language, area_id, "
                + "network, recorded_at) from usage_record where id = ?", recordId);
    }

    @Test
    void recordsCarryAPseudonymAndATruncatedAddressNeverTheSubjectOrTheIp() throws Exception {
        Api.Person p = api.adult("usage");
        ThreadLocalRandom r = ThreadLocalRandom.current();
        String ip = "172.16." + r.nextInt(256) + "." + r.nextInt(1, 255);
        String ip6 = "2001:db8:" + Integer.toHexString(r.nextInt(1, 65535)) + ":5678:9abc:def0:1234:" + Integer.toHexString(r.nextInt(1, 65535));
        String id4 = Api.as(p).header("X-Forwarded-For", ip).body(report()).when()
                .post("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(201)
                .body("network", equalTo(ip.substring(0, ip.lastIndexOf('.')) + ".0/24")).extract().path("recordId");
        String id6 = Api.as(p).header("X-Forwarded-For", ip6).body(Map.of("action", "storage.upload")).when()
                .post("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(201).extract().path("recordId");
        String row4 = row(UUID.fromString(id4));
        String row6 = row(UUID.fromString(id6));
        String[] g = ip6.split(":");
        assertThat(row6).contains(g[0] + ":" + g[1] + ":" + g[2] + "::/48");
        for (String row : List.of(row4, row6)) {
            assertThat(row).doesNotContain(p.id().toString()).doesNotContain(ip).doesNotContain(ip6);
        }
        // no column anywhere holds the raw address
        assertThat(Db.columnsContaining(db, ip)).isEmpty();
        assertThat(Db.columnsContaining(db, ip6)).isEmpty();
        assertThat(Db.count(db, "select count(*) from usage_record where pseudonym like ?", "%" + p.id() + "%")).isZero();
        // one stable pseudonym per subject, keyed: not the plain hash of the id, not another subject's
        String pseudonym = Db.string(db, "select pseudonym from usage_record where id = ?", UUID.fromString(id4));
        assertThat(Db.string(db, "select pseudonym from usage_record where id = ?", UUID.fromString(id6))).isEqualTo(pseudonym);
        String plain = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(p.id().toString().getBytes(StandardCharsets.UTF_8)));
        assertThat(pseudonym).hasSize(64).isNotEqualTo(plain);
        Api.Person q = api.adult("usage2");
        String other = Api.as(q).header("X-Forwarded-For", ip).body(report()).when()
                .post("/v1/accounts/{id}/usage-records", q.id()).then().statusCode(201).extract().path("recordId");
        assertThat(Db.string(db, "select pseudonym from usage_record where id = ?", UUID.fromString(other)))
                .isNotEqualTo(pseudonym);
        // the subject reads their own records
        Api.as(p).when().get("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(200).body("$", hasSize(2))
                .body("[1].areaId", equalTo("CN-31"));
        // analysts get records by pseudonym, never tied to the account
        String since = Instant.now().minus(Duration.ofMinutes(5)).toString();
        String stats = given().auth().oauth2(api.holderToken("analytics")).when()
                .get("/internal/v1/usage-records?since={s}", since).then().statusCode(200).extract().asString();
        assertThat(stats).contains(pseudonym).doesNotContain(p.id().toString()).doesNotContain(ip);
    }

    @Test
    void reIdentificationOnlyForAnAuthorisedRoleAndPurposeAndAudited() {
        Api.Person p = api.adult("reid");
        Api.as(p).header("X-Forwarded-For", Api.newAddress()).body(report()).when()
                .post("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(201);
        StaffAccounts.Member securityOfficer = staff.member(Roles.SECURITY_OFFICER); // signed in with password and TOTP
        String officer = securityOfficer.access;
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events", "access.records")) {
            given().auth().oauth2(officer).when().get("/internal/v1/usage-records/{id}", p.id()).then().statusCode(403)
                    .contentType(PROBLEM).body("field", equalTo("purposeId"));
            given().auth().oauth2(officer).when().get("/internal/v1/usage-records/{id}?purposeId=marketing-email", p.id())
                    .then().statusCode(403);
            given().auth().oauth2(api.holderToken("analytics")).when()
                    .get("/internal/v1/usage-records/{id}?purposeId=account-security", p.id()).then().statusCode(403);
            given().auth().oauth2(api.supportToken()).when()
                    .get("/internal/v1/usage-records/{id}?purposeId=account-security", p.id()).then().statusCode(403);
            Api.as(p).when().get("/internal/v1/usage-records/{id}?purposeId=account-security", p.id()).then().statusCode(403);
            given().auth().oauth2(officer).when().get("/internal/v1/usage-records/{id}?purposeId=account-security", p.id())
                    .then().statusCode(200).body("subjectId", equalTo(p.id().toString())).body("records", hasSize(1))
                    .body("records[0].deviceModel", equalTo("iPhone15,2"));
            List<Topics.Published> seen = Topics.read(topic, schemas,
                    Topics.has(EventTypes.PERSONAL_DATA_ACCESSED, p.id().toString(), 1), Duration.ofSeconds(15));
            List<JsonObject> reads = seen.stream().filter(e -> e.is(EventTypes.PERSONAL_DATA_ACCESSED)
                    && e.body().contains(p.id().toString())).map(Topics.Published::json).toList();
            assertThat(reads).hasSize(1);
            // recorded under the staff member's own id (the token's sub), not a service's
            assertThat(reads.get(0).getString("accessorId")).isEqualTo(securityOfficer.id.toString());
            assertThat(reads.get(0).getString("accessorRole")).isEqualTo("SECURITY_OFFICER");
            assertThat(reads.get(0).getString("purposeId")).isEqualTo("account-security");
            assertThat(reads.get(0).getJsonArray("fields").getList()).containsExactly("usage");
        }
    }

    @Test
    void badInputCoordinatesAndAnotherSubjectsIdAreRefusedAndStoreNothing() {
        Api.Person p = api.adult("usebad");
        Api.Person other = api.adult("useother");
        long before = Db.count(db, "select count(*) from usage_record");
        Api.as(p).body("{\"action\": ").when().post("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(400)
                .contentType(PROBLEM).body("type", equalTo("urn:pledge:problem:malformed-json"));
        Api.as(p).body(Map.of("action", "console.open", "latitude", 31.2304, "longitude", 121.4737)).when()
                .post("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(400).contentType(PROBLEM);
        Api.as(p).body(Map.of("deviceModel", "x")).when().post("/v1/accounts/{id}/usage-records", p.id()).then()
                .statusCode(400).body("field", equalTo("action"));
        Api.as(p).body(Map.of("action", "console.open", "deviceModel", "x".repeat(65))).when()
                .post("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(400).body("field", equalTo("deviceModel"));
        Api.as(p).body(Map.of("action", "console.open", "areaId", "31.2304,121.4737")).when()
                .post("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(400).body("field", equalTo("areaId"));
        Api.as(other).body(report()).when().post("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(403)
                .contentType(PROBLEM);
        Api.as(other).when().get("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(403);
        given().auth().oauth2(api.holderToken("analytics")).when().get("/internal/v1/usage-records?since=yesterday")
                .then().statusCode(400).body("field", equalTo("since"));
        given().contentType(ContentType.JSON).body(report()).when().post("/v1/accounts/{id}/usage-records", p.id())
                .then().statusCode(401);
        assertThat(Db.count(db, "select count(*) from usage_record")).isEqualTo(before);
    }

    @Test
    void erasureFindsTheRecordsThroughTheDerivedPseudonym() throws Exception {
        Api.Person p = api.adult("useerase");
        String id = Api.as(p).header("X-Forwarded-For", Api.newAddress()).body(report()).when()
                .post("/v1/accounts/{id}/usage-records", p.id()).then().statusCode(201).extract().path("recordId");
        Api.as(p).when().get("/v1/accounts/{id}/export", p.id()).then().statusCode(200).body("usage", hasSize(1));
        ErasureRequested cmd = new ErasureRequested(UUID.randomUUID(), p.id(), "6.3.4", List.of("account", "usage"),
                List.of("account-service"), Instant.now(), Instant.now().plus(Duration.ofDays(30)));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.ERASURE_REQUESTED, cmd);
            JsonObject reply = Topics.read(topic, schemas, Topics.has(EventTypes.HOLDER_REPLIED, cmd.requestId().toString(), 1),
                    Duration.ofSeconds(30)).stream().filter(e -> e.body().contains(cmd.requestId().toString()))
                    .findFirst().orElseThrow().json();
            assertThat(reply.getJsonObject("counts").getInteger("usage")).isEqualTo(1);
        }
        assertThat(Db.count(db, "select count(*) from usage_record where id = ?", UUID.fromString(id))).isZero();
    }
}
