package io.pledge.account;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import io.agroal.api.AgroalDataSource;
import io.pledge.account.support.Api;
import io.pledge.kit.testing.Db;
import io.pledge.account.support.Topics;
import io.pledge.kit.events.EventSchemas;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * After a full flow (register, codes, wrong and right passwords, profile with address, real-name with
 * ID and bank numbers, contact change, compromise, reset, payment profile read, disclosed and refused,
 * a usage record, friend invitations sent and pending, cancellation, erasure), no password, code,
 * email, mobile, ID number, bank account, address, payment token or tax id, invitee email or raw
 * usage client address is in clear in the database (every text column
 * of every schema, plain JDBC), in any event published meanwhile (read back from the real topics,
 * keys and headers included) or in the test run's log.
 */
@QuarkusTest
@Tag("clause-2.1.1.1")
@Tag("clause-2.1.1.2")
@Tag("clause-2.1.1.3")
@Tag("clause-2.1.2")
@Tag("clause-2.2.1")
class NoPlaintextTest {

    static final Path LOG = Path.of("target/account-service-test.log");

    @Inject
    AgroalDataSource db;
    @Inject
    EventSchemas schemas;

    @Inject
    Api api;

    @Test
    void noSecretOrContactValueInClearInTheDatabaseEventsOrLog() throws Exception {
        List<String> values = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        List<Topics.Published> events = new ArrayList<>();
        List<String> rawRecords = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("account.events", "notification.commands", "rights.replies", "access.records")) {
            Map<String, Object> body = Api.registration("plain", LocalDate.of(1988, 8, 8));
            values.add((String) body.get("email"));
            values.add((String) body.get("mobile"));
            values.add((String) body.get("password"));
            values.add((String) body.get("userName"));
            JsonPath reg = api.register(body, Api.newAddress());
            UUID id = UUID.fromString(reg.getString("subjectId"));
            for (String ch : List.of("MOBILE", "EMAIL")) {
                UUID n = Api.verificationId(reg, ch);
                String code = api.code(n);
                codes.add(code);
                api.confirm(n, "REGISTRATION", code.equals("999999") ? "000000" : "999999", null).statusCode(422);
                api.confirm(n, "REGISTRATION", code, null).statusCode(200);
            }
            api.login((String) body.get("email"), "Wrong-" + body.get("password")).statusCode(401);
            String access = api.login((String) body.get("email"), (String) body.get("password")).statusCode(201)
                    .extract().path("accessToken");
            String address = "No. 88 Secret Lane " + UUID.randomUUID().toString().substring(0, 6);
            values.add(address);
            given().auth().oauth2(access).contentType(ContentType.JSON)
                    .body(Map.of("address", address, "qq", "987654321", "nickname", "nick-" + id.toString().substring(0, 5)))
                    .when().put("/v1/accounts/{id}/profile", id).then().statusCode(200);
            String idNumber = "31010119900307" + String.format("%04d", (int) (Math.random() * 9999));
            String bank = "62258" + String.format("%014d", Math.abs(UUID.randomUUID().getLeastSignificantBits()) % 100_000_000_000_000L);
            values.add(idNumber);
            values.add(bank);
            given().auth().oauth2(access).contentType(ContentType.JSON)
                    .body(Map.of("method", "BANK_TRANSFER", "realName", "王五", "idNumber", idNumber, "bankAccount", bank,
                            "bankName", "CCB", "bankBranch", "Xuhui"))
                    .when().post("/v1/accounts/{id}/real-name", id).then().statusCode(201);
            String newEmail = "changed-" + UUID.randomUUID() + "@example.com";
            values.add(newEmail);
            String n = given().auth().oauth2(access).contentType(ContentType.JSON).header("X-Forwarded-For", Api.newAddress())
                    .body(Map.of("value", newEmail, "currentPassword", body.get("password")))
                    .when().post("/v1/accounts/{id}/contacts/email", id)
                    .then().statusCode(202).extract().path("verificationId");
            String changeCode = api.code(UUID.fromString(n));
            codes.add(changeCode);
            api.confirm(UUID.fromString(n), "CONTACT_CHANGE", changeCode, null).statusCode(200);
            given().auth().oauth2(api.supportToken()).when().post("/v1/accounts/{id}/compromise-reports", id)
                    .then().statusCode(202);
            String resetId = Api.from(Api.newAddress()).body(Map.of("purpose", "PASSWORD_RESET", "login", newEmail))
                    .when().post("/v1/verifications").then().statusCode(202).extract().path("verificationId");
            String resetCode = api.code(UUID.fromString(resetId));
            codes.add(resetCode);
            String newPassword = "After-" + UUID.randomUUID().toString().substring(0, 12);
            values.add(newPassword);
            api.confirm(UUID.fromString(resetId), "PASSWORD_RESET", resetCode, newPassword).statusCode(200);
            String access2 = api.login(newEmail, newPassword).statusCode(201).extract().path("accessToken");
            given().auth().oauth2(api.holderToken("notification-service")).contentType(ContentType.JSON)
                    .body(Map.of("purposeId", "service-notice", "subjectIds", List.of(id))).when()
                    .post("/internal/v1/contacts").then().statusCode(200);
            // payment profile (2.1.1(3)), read by billing and disclosed to a processor; a refused share
            String providerToken = "wx-agr-" + UUID.randomUUID();
            String taxId = "91310000MA1K" + String.format("%06d", (int) (Math.random() * 999_999));
            String billingAddress = "No. 9 Invoice Street " + UUID.randomUUID().toString().substring(0, 6);
            String invoiceTitle = "Title-" + UUID.randomUUID().toString().substring(0, 10);
            values.addAll(List.of(providerToken, taxId, billingAddress, invoiceTitle));
            given().auth().oauth2(access2).contentType(ContentType.JSON)
                    .body(Map.of("method", "WECHAT_PAY", "providerToken", providerToken, "taxId", taxId,
                            "billingAddress", billingAddress, "invoiceTitle", invoiceTitle))
                    .when().put("/v1/accounts/{id}/payment-profile", id).then().statusCode(200);
            String billing = api.holderToken("billing");
            given().auth().oauth2(billing).when().get("/internal/v1/payment-profiles/{id}?purposeId=billing", id)
                    .then().statusCode(200);
            given().auth().oauth2(billing).contentType(ContentType.JSON)
                    .body(Map.of("recipientId", "wechat-pay", "purposeId", "billing")).when()
                    .post("/internal/v1/payment-profiles/{id}/disclosures", id).then().statusCode(201);
            given().auth().oauth2(billing).contentType(ContentType.JSON)
                    .body(Map.of("recipientId", "data-broker", "purposeId", "billing")).when()
                    .post("/internal/v1/payment-profiles/{id}/disclosures", id).then().statusCode(403);
            // a usage record (2.1.2) from a client address that must not be stored
            String usageIp = "192.168." + (int) (Math.random() * 255) + "." + (1 + (int) (Math.random() * 250));
            given().auth().oauth2(access2).contentType(ContentType.JSON).header("X-Forwarded-For", usageIp)
                    .body(Map.of("action", "console.open", "deviceModel", "Pixel 8")).when()
                    .post("/v1/accounts/{id}/usage-records", id).then().statusCode(201);
            given().auth().oauth2(access2).when().get("/v1/accounts/{id}/usage-records", id).then().statusCode(200);
            // friend invitations (2.2.1): one sent (address fetched, then erased), one left pending
            String invitee = "invitee-" + UUID.randomUUID().toString().substring(0, 10) + "@example.org";
            String pendingInvitee = "pending-" + UUID.randomUUID().toString().substring(0, 10) + "@example.org";
            values.add(invitee);
            values.add(pendingInvitee);
            String invitation = given().auth().oauth2(access2).contentType(ContentType.JSON)
                    .body(Map.of("email", invitee)).when().post("/v1/accounts/{id}/invitations", id).then()
                    .statusCode(201).extract().path("invitationId");
            given().auth().oauth2(access2).contentType(ContentType.JSON).body(Map.of("email", pendingInvitee)).when()
                    .post("/v1/accounts/{id}/invitations", id).then().statusCode(201);
            given().auth().oauth2(api.holderToken("notification-service")).when()
                    .get("/internal/v1/notices/{id}/secret", invitation).then().statusCode(200);
            assertThat(Db.columnsContaining(db, usageIp)).as("database columns holding a raw client address").isEmpty();
            given().auth().oauth2(access2).when().post("/v1/accounts/{id}/cancellation", id).then().statusCode(201);

            events.addAll(Topics.read(topics, schemas, l -> false, Duration.ofSeconds(4)));
            // the raw records too: keys and every header
            events.forEach(e -> rawRecords.add(e.key() + " " + e.headers()));
        }
        assertThat(events).isNotEmpty();
        assertThat(events).anySatisfy(e -> assertThat(e.type()).contains("NoticeRequested"));
        String log = Files.readString(LOG, StandardCharsets.UTF_8);
        // the checks look where the data would be: the log has this run's requests, the scan finds stored hashes
        assertThat(log).contains("/v1/verifications").contains("/internal/v1/contacts");
        assertThat(Db.columnsContaining(db, "$argon2id$")).contains("public.account.password_hash");
        for (String v : values) {
            assertThat(Db.columnsContaining(db, v)).as("database columns holding a personal value").isEmpty();
            assertThat(events).noneSatisfy(e -> assertThat(e.body() + e.key()).contains(v));
            assertThat(rawRecords).noneSatisfy(r -> assertThat(r).contains(v));
            assertThat(log).doesNotContain(v);
        }
        for (String code : codes) {
            String bounded = "(^|[^0-9A-Za-z_+/-])" + code + "($|[^0-9A-Za-z_+/-])";
            assertThat(Db.columnsMatching(db, bounded)).as("database columns holding a code").isEmpty();
            assertThat(events).noneSatisfy(e -> assertThat(e.body()).containsPattern("\"[^\"]*\\b" + code + "\\b[^\"]*\""));
            assertThat(Pattern.compile("\\b" + code + "\\b").matcher(log).find()).as("a code in the log").isFalse();
        }
        // and nothing of any test of this run: every test email ends in @example.com, every mobile is +86
        assertThat(Db.columnsContaining(db, "@example.com")).isEmpty();
        assertThat(Db.columnsContaining(db, "@example.org")).isEmpty();
        assertThat(Db.columnsContaining(db, "@example.net")).isEmpty();
        assertThat(Db.columnsMatching(db, "\\+86[0-9]{11}")).isEmpty();
        assertThat(log).doesNotContain("@example.com").doesNotContain("@example.org").doesNotContain("@example.net").doesNotContainPattern("\\+86[0-9]{11}").doesNotContain("$argon2id$");
    }
}
