package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import com.fasterxml.jackson.databind.JsonNode;
import io.pledge.events.EventJson;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A person's whole journey, as a frontend app drives it: only the API gateway, only HTTPS, and codes
 * read where the person reads them (the SMS gateway, the mailbox). Register, verify mobile and email,
 * log in, grant and withdraw consent, request a copy and download it, request deletion and fetch the
 * signed certificate. The time of the whole journey is written to {@code target/journey.txt}.
 */
@ExtendWith(PledgeSystem.class)
class UserJourneyIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);

    @BeforeAll
    static void trustTheSelfSignedCertificate() {
        RestAssured.useRelaxedHTTPSValidation();
    }

    @Test
    @Tag("clause-2.1.1.1")
    @Tag("clause-6.6")
    @Tag("clause-6.3")
    @Tag("account-service")
    @Tag("rights-request-service")
    void registerVerifyLogInConsentWithdrawCopyAndDeleteThroughTheGatewayOnly() throws Exception {
        long started = System.nanoTime();
        long n = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        String email = "journey" + n + "@example.com";
        String mobile = "+861" + n;
        String password = "Pw-" + UUID.randomUUID().toString().substring(0, 13);
        Map<String, Object> registration = new LinkedHashMap<>();
        registration.put("userName", "journey-" + n);
        registration.put("email", email);
        registration.put("mobile", mobile);
        registration.put("password", password);
        registration.put("birthDate", LocalDate.now().minusYears(28).toString());

        // register; the codes arrive by SMS and by email
        JsonPath registered = api().body(registration).when().post("/api/accounts/v1/accounts")
                .then().statusCode(201).extract().jsonPath();
        UUID subject = UUID.fromString(registered.getString("subjectId"));
        UUID mobileCheck = UUID.fromString(registered.getString("verifications.find { it.channel == 'MOBILE' }.verificationId"));
        UUID emailCheck = UUID.fromString(registered.getString("verifications.find { it.channel == 'EMAIL' }.verificationId"));
        String smsCode = SmsInbox.code(SmsInbox.await(mobile, m -> m.noticeId().equals(mobileCheck.toString()), PATIENCE));
        api().body(Map.of("purpose", "REGISTRATION", "code", smsCode))
                .when().post("/api/accounts/v1/verifications/{id}/confirmation", mobileCheck)
                .then().statusCode(200).body("status", equalTo("ACTIVE"));
        Mailboxes.Mail mail = Mailboxes.await(email, m -> m.text().matches("(?s).*\\b\\d{6}\\b.*"), PATIENCE);
        String mailCode = mail.text().replaceAll("(?s).*?\\b(\\d{6})\\b.*", "$1");
        api().body(Map.of("purpose", "REGISTRATION", "code", mailCode))
                .when().post("/api/accounts/v1/verifications/{id}/confirmation", emailCheck).then().statusCode(200);

        // log in with the email
        String access = api().body(Map.of("login", email, "password", password))
                .when().post("/api/accounts/v1/sessions").then().statusCode(201).extract().path("accessToken");

        // grant, then withdraw a marketing consent; the receipt of each change is the subject's
        for (String decision : new String[] {"GIVEN", "WITHDRAWN"}) {
            as(access).body(Map.of("purposeId", "marketing-email", "decision", decision, "channel", "WEB"))
                    .when().post("/api/consents/v1/consents/{s}/records", subject).then().statusCode(201);
        }
        JsonPath consents = as(access).when().get("/api/consents/v1/consents/{s}", subject).then().statusCode(200)
                .extract().jsonPath();
        assertThat(consents.getString("consents.find { it.purposeId == 'marketing-email' }.status"))
                .isEqualTo("WITHDRAWN");

        // a copy of everything held on me, verified with a code to my mobile, downloaded as one package
        UUID copy = submitAndVerify(access, mobile, Map.of("type", "COPY"));
        awaitCompleted(access, copy);
        JsonPath pkg = as(access).when().get("/api/requests/v1/requests/{id}/package", copy).then().statusCode(200)
                .extract().jsonPath();
        assertThat(pkg.getString("subjectId")).isEqualTo(subject.toString());
        assertThat(pkg.getMap("parts")).containsKeys("account-service", "consent-service", "audit-service");
        assertThat(pkg.getList("readme.parts")).isNotEmpty();

        // deletion: verified, propagated to every holder, certified
        UUID deletion = submitAndVerify(access, mobile, Map.of("type", "DELETION", "ground", "6.3.4"));
        awaitCompleted(access, deletion);
        JsonPath cert = as(access).when().get("/api/requests/v1/requests/{id}/certificate", deletion)
                .then().statusCode(200).extract().jsonPath();
        assertThat(Certificates.verifies(PledgeSystem.GATEWAY + "/api/requests/v1/certificates/public-key", cert))
                .as("certificate verified with the published key").isTrue();
        JsonNode payload = EventJson.mapper().readTree(cert.getString("payload"));
        assertThat(payload.path("subjectId").asText()).isEqualTo(subject.toString());
        assertThat(payload.path("holders").size()).isGreaterThanOrEqualTo(4);

        // and the account is gone
        api().body(Map.of("login", email, "password", password)).when().post("/api/accounts/v1/sessions")
                .then().statusCode(401).contentType("application/problem+json");

        Duration took = Duration.ofNanos(System.nanoTime() - started);
        String line = "user journey through the gateway (register, verify SMS and email, log in, consent given and "
                + "withdrawn, copy requested, verified and downloaded, deletion requested, verified and certified): "
                + took.toMillis() + " ms";
        System.out.println(line);
        Files.writeString(Path.of("target/journey.txt"), line + "\n");
    }

    private static RequestSpecification api() {
        return given().baseUri(PledgeSystem.GATEWAY).contentType(ContentType.JSON);
    }

    private static RequestSpecification as(String access) {
        return api().auth().oauth2(access);
    }

    private static UUID submitAndVerify(String access, String mobile, Map<String, Object> request) throws Exception {
        JsonPath submitted = as(access).body(request).when().post("/api/requests/v1/requests").then().statusCode(201)
                .extract().jsonPath();
        UUID id = UUID.fromString(submitted.getString("request.requestId"));
        String verification = submitted.getString("verification.verificationId");
        String code = SmsInbox.code(SmsInbox.await(mobile, m -> m.noticeId().equals(verification), PATIENCE));
        as(access).body(Map.of("code", code)).when().post("/api/requests/v1/requests/{id}/verification", id)
                .then().statusCode(200);
        return id;
    }

    private static void awaitCompleted(String access, UUID request) {
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(1)).until(() -> "COMPLETED".equals(
                as(access).when().get("/api/requests/v1/requests/{id}", request).then().statusCode(200)
                        .extract().path("status")));
    }
}
