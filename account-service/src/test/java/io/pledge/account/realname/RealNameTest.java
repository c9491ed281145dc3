package io.pledge.account.realname;

import static io.pledge.account.support.Api.PROBLEM;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.account.support.Topics;
import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Real-name authentication (policy 2.1.1(2)) on the real database and broker. The verification
 * provider's result is posted by a holder client, as the provider would.
 */
@QuarkusTest
@Tag("clause-2.1.1.2")
class RealNameTest {

    static final String ID_NUMBER = "11010519491231002X";
    static final String BANK_ACCOUNT = "6222020200112233445";

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;

    @Inject
    Api api;

    @Test
    void aFaceCheckCarryingImageDataIsRefusedAndNothingIsStored() {
        Api.Person p = api.adult("face");
        String image = Base64.getEncoder().encodeToString(new byte[3000]);
        Api.as(p).body(Map.of("method", "FACE", "providerRef", "mps-123", "faceImage", image))
                .when().post("/v1/accounts/{id}/real-name", p.id()).then().statusCode(400).contentType(PROBLEM)
                .body("field", equalTo("faceImage"));
        Api.as(p).body(Map.of("method", "FACE", "providerRef", "data:image/png;base64," + image.substring(0, 100)))
                .when().post("/v1/accounts/{id}/real-name", p.id()).then().statusCode(400).contentType(PROBLEM);
        assertThat(Db.count(db, "select count(*) from real_name_verification where subject_id = ?", p.id())).isZero();
        assertThat(Db.columnsContaining(db, image.substring(0, 100))).isEmpty();
        // the result-only face check is accepted
        Api.as(p).body(Map.of("method", "FACE", "providerRef", "mps-check-42"))
                .when().post("/v1/accounts/{id}/real-name", p.id()).then().statusCode(201).body("status", equalTo("PENDING"));
    }

    @Test
    void coreServicesAreRefusedUntilVerifiedAndIdentityDataIsSealed() {
        Api.Person p = api.adult("rn");
        String holder = api.holderToken("core-service");
        given().auth().oauth2(holder).when().get("/internal/v1/entitlements/{id}/core-services", p.id())
                .then().statusCode(403).contentType(PROBLEM).body("field", equalTo("realNameStatus"));
        Map<String, Object> bank = Map.of("method", "BANK_TRANSFER", "realName", "张三", "idNumber", ID_NUMBER,
                "bankAccount", BANK_ACCOUNT, "bankName", "ICBC", "bankBranch", "Pudong");
        // a field of another method is not collected
        Map<String, Object> tooMuch = new java.util.HashMap<>(bank);
        tooMuch.put("idPhotoFrontRef", "alipay/front-1");
        Api.as(p).body(tooMuch).when().post("/v1/accounts/{id}/real-name", p.id()).then().statusCode(400)
                .body("field", equalTo("idPhotoFrontRef"));
        String verification = Api.as(p).body(bank).when().post("/v1/accounts/{id}/real-name", p.id())
                .then().statusCode(201).extract().path("verificationId");
        given().auth().oauth2(holder).when().get("/internal/v1/entitlements/{id}/core-services", p.id())
                .then().statusCode(403);
        assertThat(Db.string(db, "select id_number from real_name_verification where subject_id = ?", p.id()))
                .startsWith("p1.");
        assertThat(Db.columnsContaining(db, ID_NUMBER)).isEmpty();
        assertThat(Db.columnsContaining(db, BANK_ACCOUNT)).isEmpty();

        try (KafkaConsumer<String, byte[]> topic = Topics.tail("account.events")) {
            given().auth().oauth2(api.holderToken("realname-provider")).contentType(ContentType.JSON)
                    .body(Map.of("result", "VERIFIED")).when()
                    .post("/internal/v1/real-name/{v}/decision", verification).then().statusCode(200)
                    .body("status", equalTo("VERIFIED"));
            List<Topics.Published> seen = Topics.read(topic, schemas,
                    Topics.has(EventTypes.REAL_NAME_VERIFIED, p.id().toString(), 1), Duration.ofSeconds(15));
            Topics.Published e = seen.stream().filter(x -> x.is(EventTypes.REAL_NAME_VERIFIED)).findFirst().orElseThrow();
            assertThat(e.json().getString("method")).isEqualTo("BANK_TRANSFER");
            assertThat(e.body()).doesNotContain(ID_NUMBER).doesNotContain(BANK_ACCOUNT);
        }
        given().auth().oauth2(holder).when().get("/internal/v1/entitlements/{id}/core-services", p.id())
                .then().statusCode(200).body("status", equalTo("VERIFIED"));
        Api.as(p).when().get("/v1/accounts/{id}/real-name", p.id()).then().statusCode(200)
                .body("status", equalTo("VERIFIED")).body("attempts[0].method", equalTo("BANK_TRANSFER"));
        // enterprise authentication follows
        Api.as(p).body(Map.of("method", "ENTERPRISE_ALIPAY", "entityName", "Example Co", "creditCode",
                "91310000MA1FL0X123", "licenceRef", "alipay/licence-9")).when()
                .post("/v1/accounts/{id}/real-name", p.id()).then().statusCode(201);
    }

    @Test
    void enterpriseNeedsIndividualFirstAndAlipayNeedsItsFields() {
        Api.Person p = api.adult("ent");
        Api.as(p).body(Map.of("method", "ENTERPRISE_ALIPAY", "entityName", "Example Co", "creditCode",
                "91310000MA1FL0X123", "licenceRef", "alipay/licence-9")).when()
                .post("/v1/accounts/{id}/real-name", p.id()).then().statusCode(409).contentType(PROBLEM);
        Api.as(p).body(Map.of("method", "ALIPAY", "realName", "李四", "idNumber", ID_NUMBER))
                .when().post("/v1/accounts/{id}/real-name", p.id()).then().statusCode(400)
                .body("field", equalTo("idPhotoBackRef"));
    }
}
