package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.kit.testing.TestKafka;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A downstream team onboards through the holder registry, across the packaged services ({@link PledgeSystem}): a
 * privacy officer, signed in for real (password and TOTP, {@link Staff}), registers the team with the OAuth scope it
 * needs; the registration's answer is all the team gets: its OAuth client id and secret and its Kafka login. With the
 * secret (no key signing anywhere) the team gets its token from account-service's {@code POST /v1/oauth/token}, looks
 * up the contact of a real subject for a purpose the subject consented to, and is refused one for a purpose not
 * consented; its read is in the audit log under its own client id with the purpose (policy 5.2.3). Rotation ends the
 * old secret and the tokens issued with it; offboarding ends its HTTP access at once (invalid_client, its issued token
 * 401 at account-service) and, once it acknowledged the offboarding over Kafka, its Kafka login. Nothing is faked.
 */
@ExtendWith(PledgeSystem.class)
class HolderOnboardingIT {

    @Test
    @Tag("clause-5.2.3")
    @Tag("account-service")
    @Tag("rights-request-service")
    @SuppressWarnings("unchecked")
    void aRegisteredTeamGetsItsOwnCredentialsReadsConsentedContactsAndIsRefusedOnceOffboarded() throws Exception {
        String holder = "crm-" + PledgeSystem.RUN.toLowerCase() + "-" + UUID.randomUUID().toString().substring(0, 6);
        JsonPath registered = rights(Subjects.officer()).body(Map.of("id", holder, "kind", "DOWNSTREAM",
                        "categories", List.of("contact"), "purposes", List.of("marketing-email"), "region", "CN",
                        "channel", "KAFKA",
                        "agreement", Map.of("matters", "customer contact", "period", "P1Y", "nature", "processing",
                                "purpose", "marketing-email", "responsibilities", "erase on request", "documentRef", "DPA-17"),
                        "ackSlaSeconds", 3600, "signingKeys", List.of(ExternalHolder.publicJwk(holder)),
                        "oauthScopes", List.of("contact:read")))
                .when().post("/v1/holders").then().statusCode(201).extract().jsonPath();
        Map<String, Object> oauth = registered.getMap("oauth");
        String clientId = (String) oauth.get("clientId");
        String secret = (String) oauth.get("clientSecret");
        String tokenEndpoint = (String) oauth.get("tokenEndpoint");
        assertThat(clientId).isEqualTo("holder-" + holder);
        assertThat(tokenEndpoint).isEqualTo(PledgeSystem.ACCOUNT.url() + "/v1/oauth/token");
        assertThat((List<String>) oauth.get("scopes")).containsExactly("contact:read");
        Map<String, String> kafka = registered.getMap("kafka");
        ExternalHolder.registered(holder, kafka);
        // shown once
        rights(Subjects.officer()).when().get("/v1/holders/{id}", holder).then().statusCode(200)
                .body("oauth", org.hamcrest.Matchers.nullValue()).body("kafka", org.hamcrest.Matchers.nullValue());

        Subjects.Person p = Subjects.register("onboard");
        given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(p.access()).contentType(ContentType.JSON)
                .body(Map.of("purposeId", "marketing-email", "decision", "GIVEN", "channel", "WEB"))
                .when().post("/v1/consents/{s}/records", p.id()).then().statusCode(201);

        try (ExternalHolder team = new ExternalHolder(holder, c -> "ERASED")) {
            String token = tokenRequest(tokenEndpoint, clientId, secret).statusCode(200)
                    .body("scope", equalTo("contact:read")).extract().path("access_token");
            // a purpose the subject consented to: the contact; one it did not: refused, no value
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    "OK".equals(contacts(token, p.id(), "marketing-email").statusCode(200)
                            .extract().path("results[0].outcome")));
            contacts(token, p.id(), "marketing-email").statusCode(200).body("results[0].email", equalTo(p.email()));
            contacts(token, p.id(), "profiling").statusCode(200).body("results[0].outcome", equalTo("NOT_PERMITTED"))
                    .body("results[0].email", org.hamcrest.Matchers.nullValue());
            // a scope the registry did not grant it
            given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                    .formParam("grant_type", "client_credentials").formParam("audience", "account-service")
                    .formParam("scope", "notice.secret:read").when().post(tokenEndpoint).then().statusCode(400)
                    .body("error", equalTo("invalid_scope"));

            // its read is recorded under its own client id, with the fields and the purpose (policy 5.2.3)
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    !accesses(p.id(), clientId).isEmpty());
            Map<String, Object> read = accesses(p.id(), clientId).get(0);
            assertThat(read).containsEntry("accessorId", clientId).containsEntry("accessorRole", "HOLDER")
                    .containsEntry("purposeId", "marketing-email");
            assertThat((List<String>) read.get("fields")).contains("email");

            // rotation: the old secret and the token issued with it end at once, the new secret works
            Map<String, Object> rotated = rights(Subjects.officer()).when()
                    .post("/v1/holders/{id}/oauth-credential", holder).then().statusCode(200).extract().jsonPath()
                    .getMap("oauth");
            String fresh = (String) rotated.get("clientSecret");
            assertThat(fresh).isNotEqualTo(secret);
            tokenRequest(tokenEndpoint, clientId, secret).statusCode(401).body("error", equalTo("invalid_client"));
            contacts(token, p.id(), "marketing-email").statusCode(401).contentType("application/problem+json");
            String freshToken = tokenRequest(tokenEndpoint, clientId, fresh).statusCode(200).extract().path("access_token");
            contacts(freshToken, p.id(), "marketing-email").statusCode(200).body("results[0].outcome", equalTo("OK"));

            // offboarding: HTTP access ends at once
            rights(Subjects.officer()).when().post("/v1/holders/{id}/offboarding", holder).then().statusCode(202);
            tokenRequest(tokenEndpoint, clientId, fresh).statusCode(401).contentType("application/problem+json")
                    .body("error", equalTo("invalid_client"));
            contacts(freshToken, p.id(), "marketing-email").statusCode(401).contentType("application/problem+json");

            // the team acknowledges the offboarding over Kafka; then its Kafka login ends too
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1)).until(() -> "OFFBOARDED".equals(
                    rights(Subjects.officer()).when().get("/v1/holders/{id}", holder).then().statusCode(200)
                            .extract().path("status")));
        }
        Properties login = TestKafka.clientProperties(kafka.get("principal"), kafka.get("password"), PledgeSystem.KAFKA);
        login.put("max.block.ms", "8000");
        login.put("delivery.timeout.ms", "12000");
        login.put("request.timeout.ms", "5000");
        login.put("linger.ms", "0");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(login, new StringSerializer(),
                new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("rights.replies", UUID.randomUUID().toString(),
                    "{}".getBytes(StandardCharsets.UTF_8))).get(15, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static RequestSpecification rights(String token) {
        return given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** The team's token request, as any OAuth client library makes it (client credentials, HTTP Basic). */
    private static ValidatableResponse tokenRequest(String endpoint, String clientId, String secret) {
        return given().auth().preemptive().basic(clientId, secret).contentType("application/x-www-form-urlencoded")
                .formParam("grant_type", "client_credentials").formParam("audience", "account-service")
                .when().post(endpoint).then();
    }

    private static ValidatableResponse contacts(String token, UUID subject, String purpose) {
        return given().baseUri(PledgeSystem.ACCOUNT.url()).auth().oauth2(token).contentType(ContentType.JSON)
                .body(Map.of("purposeId", purpose, "subjectIds", List.of(subject.toString()), "fields", List.of("email")))
                .when().post("/internal/v1/contacts").then();
    }

    private static List<Map<String, Object>> accesses(UUID subject, String accessor) throws Exception {
        return given().baseUri(PledgeSystem.AUDIT.url()).auth().oauth2(Subjects.officer())
                .queryParam("subjectId", subject.toString()).queryParam("accessor", accessor)
                .when().get("/v1/audit/personal-data-access").then().statusCode(200).extract().jsonPath().getList("items");
    }
}
