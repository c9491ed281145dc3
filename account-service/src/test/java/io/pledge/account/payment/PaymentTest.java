package io.pledge.account.payment;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.nullValue;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Policy 2.1.1(3), payment data never given to unrelated third parties: the real database and broker;
 * the billing team and the processors are holder tokens signed by account-service's real issuer;
 * audit events read back from the real account.events topic and held against their schema.
 */
@QuarkusTest
@Tag("clause-2.1.1.3")
class PaymentTest {

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;
    @Inject
    Api api;

    static Map<String, Object> profile() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("method", "ALIPAY");
        m.put("providerToken", "alipay-agr-" + UUID.randomUUID());
        m.put("accountHolder", "赵六");
        m.put("invoiceTitle", "Invoice Title " + UUID.randomUUID().toString().substring(0, 8));
        m.put("taxId", "91310000MA1K" + String.format("%06d", (int) (Math.random() * 999_999)));
        m.put("billingAddress", "Room 7, 100 Billing Road " + UUID.randomUUID().toString().substring(0, 6));
        return m;
    }

    private String stored(UUID subject) {
        return Db.string(db, "select concat(method, provider_token, account_holder, invoice_title, tax_id, billing_address, "
                + "updated_at) from payment_profile where subject_id = ?", subject);
    }

    private io.restassured.response.ValidatableResponse disclose(String token, UUID subject, Map<String, Object> body) {
        return given().auth().oauth2(token).contentType(ContentType.JSON).body(body).when()
                .post("/internal/v1/payment-profiles/{id}/disclosures", subject).then();
    }

    @Test
    void billingReadsForBillingAndOnlyAffiliatedProcessorsReceiveIt() {
        Api.Person p = api.adult("pay");
        Map<String, Object> m = profile();
        Api.as(p).body(m).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(200)
                .body("profile.providerToken", equalTo(m.get("providerToken")))
                .body("profile.billingAddress", equalTo(m.get("billingAddress")));
        assertThat(stored(p.id())).doesNotContain((String) m.get("providerToken")).doesNotContain((String) m.get("taxId"));
        String billing = api.holderToken("billing");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events", "access.records")) {
            given().auth().oauth2(billing).when().get("/internal/v1/payment-profiles/{id}?purposeId=billing", p.id())
                    .then().statusCode(200).body("profile.taxId", equalTo(m.get("taxId")));
            disclose(billing, p.id(), Map.of("recipientId", "alipay", "purposeId", "billing",
                    "fields", List.of("providerToken", "billingAddress"))).statusCode(201)
                    .body("outcome", equalTo("DISCLOSED"))
                    .body("values.providerToken", equalTo(m.get("providerToken")))
                    .body("values.taxId", nullValue());
            List<Topics.Published> seen = Topics.read(topic, schemas,
                    Topics.has(EventTypes.PERSONAL_DATA_ACCESSED, p.id().toString(), 2), Duration.ofSeconds(15));
            List<JsonObject> reads = seen.stream().filter(e -> e.is(EventTypes.PERSONAL_DATA_ACCESSED)
                    && e.body().contains(p.id().toString())).map(Topics.Published::json).toList();
            assertThat(reads).anySatisfy(e -> {
                assertThat(e.getString("accessorId")).isEqualTo("billing");
                assertThat(e.getString("purposeId")).isEqualTo("billing");
                assertThat(e.getJsonArray("fields").getList()).contains("providerToken", "taxId", "billingAddress");
            });
            assertThat(reads).anySatisfy(e -> {
                assertThat(e.getString("accessorId")).isEqualTo("alipay");
                assertThat(e.getJsonArray("fields").getList()).containsExactly("providerToken", "billingAddress");
            });
            assertThat(seen).noneSatisfy(e -> assertThat(e.body()).contains((String) m.get("providerToken")));
        }
        Api.as(p).when().get("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(200)
                .body("disclosures", hasSize(1)).body("disclosures[0].recipientId", equalTo("alipay"));
    }

    /**
     * Billing registered in the holder registry (policy 4.1, so that erasure reaches it) gets its own client
     * {@code holder-billing} from the registry (issued here as rights-request-service issues it); that client reads
     * payment profiles for billing, and no other registered holder does, even with the scope.
     */
    @Test
    void billingRegisteredAsAHolderReadsWithItsRegistryClientAndNoOtherRegisteredHolderDoes() {
        Api.Person p = api.adult("payreg");
        Map<String, Object> m = profile();
        Api.as(p).body(m).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(200);
        String registry = api.holderToken("rights-request-service");
        String other = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        for (String holder : List.of("billing", other)) {
            JsonObject issued = new JsonObject(given().auth().oauth2(registry).contentType(ContentType.JSON)
                    .body(Map.of("holderId", holder, "scopes", List.of("payment:read"))).when()
                    .post("/internal/v1/holder-clients").then().statusCode(201).extract().asString());
            String token = given().auth().preemptive().basic(issued.getString("clientId"), issued.getString("clientSecret"))
                    .contentType("application/x-www-form-urlencoded").formParam("grant_type", "client_credentials")
                    .formParam("audience", "account-service").formParam("scope", "payment:read")
                    .when().post("/v1/oauth/token").then().statusCode(200).extract().path("access_token");
            var read = given().auth().oauth2(token).when()
                    .get("/internal/v1/payment-profiles/{id}?purposeId=billing", p.id()).then();
            if (holder.equals("billing")) {
                read.statusCode(200).body("profile.taxId", equalTo(m.get("taxId")));
            } else {
                read.statusCode(403).contentType(PROBLEM).body("profile", nullValue());
            }
        }
    }

    @Test
    void sharingWithANonAffiliatedRecipientIsRefusedRecordedAndChangesNothing() {
        Api.Person p = api.adult("payno");
        Map<String, Object> m = profile();
        Api.as(p).body(m).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(200);
        String before = stored(p.id());
        String billing = api.holderToken("billing");
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events", "access.records")) {
            disclose(billing, p.id(), Map.of("recipientId", "ad-network", "purposeId", "billing")).statusCode(403)
                    .contentType(PROBLEM).body("field", equalTo("recipientId"))
                    .body("detail", containsString("unrelated third parties"))
                    .body("values", nullValue());
            // an affiliated processor, but not for billing
            disclose(billing, p.id(), Map.of("recipientId", "wechat-pay", "purposeId", "marketing-email"))
                    .statusCode(403).body("field", equalTo("purposeId"));
            // only a payment holder reads or shares it at all, and only for billing
            disclose(api.holderToken("marketing"), p.id(), Map.of("recipientId", "alipay", "purposeId", "billing"))
                    .statusCode(403).contentType(PROBLEM);
            given().auth().oauth2(api.holderToken("marketing")).when()
                    .get("/internal/v1/payment-profiles/{id}?purposeId=billing", p.id()).then().statusCode(403);
            given().auth().oauth2(billing).when().get("/internal/v1/payment-profiles/{id}?purposeId=marketing-email", p.id())
                    .then().statusCode(403).body("field", equalTo("purposeId"));
            Api.as(p).when().get("/internal/v1/payment-profiles/{id}?purposeId=billing", p.id()).then().statusCode(403);
            List<Topics.Published> seen = Topics.read(topic, schemas, l -> false, Duration.ofSeconds(3));
            assertThat(seen).noneSatisfy(e -> assertThat(e.is(EventTypes.PERSONAL_DATA_ACCESSED)
                    && e.body().contains(p.id().toString())).isTrue());
        }
        assertThat(stored(p.id())).isEqualTo(before);
        assertThat(Db.count(db, "select count(*) from payment_disclosure where subject_id = ? and outcome = 'REFUSED' "
                + "and recipient_id = 'ad-network' and reason = 'RECIPIENT_NOT_AFFILIATED'", p.id())).isEqualTo(1);
        assertThat(Db.count(db, "select count(*) from payment_disclosure where subject_id = ? and outcome = 'DISCLOSED'",
                p.id())).isZero();
        // the subject sees what was asked and refused
        Api.as(p).when().get("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(200)
                .body("disclosures.outcome", equalTo(List.of("REFUSED", "REFUSED")))
                .body("disclosures[0].reason", equalTo("RECIPIENT_NOT_AFFILIATED"));
    }

    @Test
    void badInputAndAnotherSubjectsIdAreProblemsAndChangeNothing() {
        Api.Person p = api.adult("paybad");
        Api.Person other = api.adult("payother");
        Map<String, Object> m = profile();
        Api.as(p).body(m).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(200);
        String before = stored(p.id());
        Api.as(p).body("{\"method\": ").when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(400)
                .contentType(PROBLEM).body("type", equalTo("urn:pledge:problem:malformed-json"));
        Map<String, Object> card = profile();
        card.put("cardNumber", "6222020202020202");
        Api.as(p).body(card).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(400)
                .body("field", equalTo("cardNumber"));
        Map<String, Object> pan = profile();
        pan.put("providerToken", "6222-0202-0202-0202");
        Api.as(p).body(pan).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(400)
                .body("field", equalTo("providerToken"));
        Map<String, Object> noMethod = profile();
        noMethod.remove("method");
        Api.as(p).body(noMethod).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(400)
                .body("field", equalTo("method"));
        Map<String, Object> big = profile();
        big.put("billingAddress", "x".repeat(301));
        Api.as(p).body(big).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(400)
                .body("field", equalTo("billingAddress"));
        Map<String, Object> huge = profile();
        huge.put("billingAddress", "x".repeat(300 * 1024));
        Api.as(p).body(huge).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(413);
        // another subject's id
        Api.as(other).body(profile()).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(403)
                .contentType(PROBLEM);
        Api.as(other).when().get("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(403);
        Api.as(other).when().delete("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(403);
        String billing = api.holderToken("billing");
        disclose(billing, p.id(), Map.of("recipientId", "Not A Client!", "purposeId", "billing")).statusCode(400)
                .body("field", equalTo("recipientId"));
        disclose(billing, p.id(), Map.of("recipientId", "alipay", "purposeId", "billing", "fields", List.of("password")))
                .statusCode(400);
        disclose(billing, UUID.randomUUID(), Map.of("recipientId", "alipay", "purposeId", "billing")).statusCode(404);
        assertThat(stored(p.id())).isEqualTo(before);
        assertThat(Db.count(db, "select count(*) from payment_profile where subject_id = ?", other.id())).isZero();
        assertThat(Db.count(db, "select count(*) from payment_disclosure where subject_id = ?", p.id())).isZero();
        Api.as(p).when().delete("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(204);
        assertThat(Db.count(db, "select count(*) from payment_profile where subject_id = ?", p.id())).isZero();
    }

    @Test
    void erasureDeletesThePaymentProfileAndItsDisclosures() throws Exception {
        Api.Person p = api.adult("payerase");
        Api.as(p).body(profile()).when().put("/v1/accounts/{id}/payment-profile", p.id()).then().statusCode(200);
        disclose(api.holderToken("billing"), p.id(), Map.of("recipientId", "unionpay", "purposeId", "billing"))
                .statusCode(201);
        // the export carries it
        Api.as(p).when().get("/v1/accounts/{id}/export", p.id()).then().statusCode(200)
                .body("payment.profile.method", equalTo("ALIPAY")).body("payment.disclosures", hasSize(1));
        ErasureRequested cmd = new ErasureRequested(UUID.randomUUID(), p.id(), "6.3.4", List.of("account", "payment"),
                List.of("account-service"), Instant.now(), Instant.now().plus(Duration.ofDays(30)));
        try (KafkaConsumer<String, byte[]> topic = Topics.tail("rights.replies")) {
            Topics.send(EventTypes.ERASURE_REQUESTED, cmd);
            JsonObject reply = Topics.read(topic, schemas, Topics.has(EventTypes.HOLDER_REPLIED, cmd.requestId().toString(), 1),
                    Duration.ofSeconds(30)).stream().filter(e -> e.body().contains(cmd.requestId().toString()))
                    .findFirst().orElseThrow().json();
            assertThat(reply.getString("outcome")).isEqualTo("ERASED");
            assertThat(reply.getJsonObject("counts").getInteger("payment")).isEqualTo(2);
        }
        assertThat(Db.count(db, "select count(*) from payment_profile where subject_id = ?", p.id())).isZero();
        assertThat(Db.count(db, "select count(*) from payment_disclosure where subject_id = ?", p.id())).isZero();
    }
}
