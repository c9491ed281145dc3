package io.pledge.rights.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.equalTo;

import io.pledge.events.EventTypes;
import io.pledge.events.KafkaAccess;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.testing.TestKafka;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A holder's own OAuth client, issued through account-service's holder-client API when an officer registers it: the
 * registry (real PostgreSQL, the real broker for the Kafka principal) against {@link AccountStub}, which stands in for
 * account-service (not running in module tests) and implements that API's documented contract; the whole-system proof
 * with the real account-service is e2e-tests' {@code HolderOnboardingIT}. The secret is in the registration's answer
 * only; rotation replaces it; offboarding revokes the client at once; a scope a holder may not hold is a 400 and
 * nothing is registered; account-service unreachable is a 503 and nothing is registered either (the Kafka principal
 * granted before it is undone), and the same registration again then succeeds.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class HolderOAuthClientTest {

    @Inject
    EventSchemas schemas;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    @AfterEach
    void up() {
        AccountStub.HOLDER_CLIENTS_DOWN.set(false);
    }

    @Test
    @SuppressWarnings("unchecked")
    void registrationIssuesTheOAuthClientOnceRotationReplacesItOffboardingRevokesIt() throws Exception {
        String holder = "crm-" + UUID.randomUUID().toString().substring(0, 8);
        String clientId = "holder-" + holder;
        AccountStub.AUTHORIZATIONS.clear();
        JsonPath registered = register(holder, "WEBHOOK", List.of(Scopes.CONTACT_READ, Scopes.CONSENT_CHECK))
                .statusCode(201).extract().jsonPath();
        Map<String, Object> oauth = registered.getMap("oauth");
        assertThat(oauth).containsEntry("clientId", clientId)
                .containsEntry("tokenEndpoint", AccountStub.URL + "/v1/oauth/token")
                .containsEntry("scopes", List.of(Scopes.CONSENT_CHECK, Scopes.CONTACT_READ));
        assertThat(oauth.get("clientSecret")).isEqualTo(AccountStub.HOLDER_CLIENTS.get(clientId).secret());
        assertThat(AccountStub.AUTHORIZATIONS).as("called with a token meant for account-service")
                .contains("/internal/v1/holder-clients aud=account-service");
        // shown once: never again; the client id and scopes are
        Api.officer().when().get("/v1/holders/{id}", holder).then().statusCode(200)
                .body("oauth", org.hamcrest.Matchers.nullValue()).body("oauthClientId", equalTo(clientId))
                .body("oauthScopes", equalTo(List.of(Scopes.CONSENT_CHECK, Scopes.CONTACT_READ)));
        assertThat(Api.officer().when().get("/v1/holders").then().statusCode(200).extract().asString())
                .doesNotContain((String) oauth.get("clientSecret"));

        // rotation: a new secret, the stub's (account-service's) current one
        Map<String, Object> rotated = Api.officer().when().post("/v1/holders/{id}/oauth-credential", holder).then()
                .statusCode(200).extract().jsonPath().getMap("oauth");
        assertThat(rotated.get("clientSecret")).isNotEqualTo(oauth.get("clientSecret"))
                .isEqualTo(AccountStub.HOLDER_CLIENTS.get(clientId).secret());
        Api.as(UUID.randomUUID()).when().post("/v1/holders/{id}/oauth-credential", holder).then().statusCode(403);

        // offboarding starts: the client is revoked at once, and no longer rotated
        Api.officer().when().post("/v1/holders/{id}/offboarding", holder).then().statusCode(202);
        assertThat(AccountStub.HOLDER_CLIENTS.get(clientId).status()).isEqualTo("REVOKED");
        Api.officer().when().post("/v1/holders/{id}/oauth-credential", holder).then().statusCode(409)
                .contentType("application/problem+json");
    }

    @Test
    void aScopeAHolderMayNotHoldIsRefusedAndNothingIsRegistered() {
        for (List<String> bad : List.of(List.of(Scopes.NOTICE_SECRET_READ), List.of(Scopes.CONTACT_READ,
                Scopes.ACCOUNT_EXPORT_READ), List.of(Scopes.IDENTITY_VERIFICATION_WRITE), List.of("no-such:scope"),
                List.of(Scopes.HOLDER_CLIENT_WRITE), List.<String>of())) {
            String holder = "bad-" + UUID.randomUUID().toString().substring(0, 8);
            register(holder, "WEBHOOK", bad).statusCode(400).contentType("application/problem+json")
                    .body("field", org.hamcrest.Matchers.startsWith("oauthScopes"));
            Api.officer().when().get("/v1/holders/{id}", holder).then().statusCode(404);
            assertThat(AccountStub.HOLDER_CLIENTS).doesNotContainKey("holder-" + holder);
        }
        // a holder registered without OAuth scopes has no client, and none to rotate
        String plain = "plain-" + UUID.randomUUID().toString().substring(0, 8);
        register(plain, "WEBHOOK", null).statusCode(201).body("oauth", org.hamcrest.Matchers.nullValue())
                .body("oauthClientId", org.hamcrest.Matchers.nullValue());
        Api.officer().when().post("/v1/holders/{id}/oauth-credential", plain).then().statusCode(409)
                .contentType("application/problem+json").body("field", equalTo("oauthScopes"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void accountServiceUnreachableIsA503AndNothingHalfRegisteredThenARetrySucceeds() throws Exception {
        String holder = "kafka-" + UUID.randomUUID().toString().substring(0, 8);
        AccountStub.HOLDER_CLIENTS_DOWN.set(true);
        register(holder, "KAFKA", List.of(Scopes.CONTACT_READ)).statusCode(503).contentType("application/problem+json")
                .body("type", equalTo("urn:pledge:problem:unavailable"));
        Api.officer().when().get("/v1/holders/{id}", holder).then().statusCode(404);
        AccountStub.HOLDER_CLIENTS_DOWN.set(false);

        JsonPath retried = register(holder, "KAFKA", List.of(Scopes.CONTACT_READ)).statusCode(201).extract().jsonPath();
        assertThat(retried.getString("oauth.clientSecret"))
                .isEqualTo(AccountStub.HOLDER_CLIENTS.get("holder-" + holder).secret());
        assertThat(AccountStub.HOLDER_CLIENTS.get("holder-" + holder).status()).isEqualTo("ACTIVE");
        Map<String, String> kafka = retried.getMap("kafka");
        assertThat(kafka.get("password")).isNotBlank();

        // the failed registration's Kafka principal was undone: only the retried one exists; offboarding revokes OAuth
        // at once and the Kafka principal once the holder acknowledged, as before
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            Api.officer().when().post("/v1/holders/{id}/offboarding", holder).then().statusCode(202);
            assertThat(AccountStub.HOLDER_CLIENTS.get("holder-" + holder).status()).isEqualTo("REVOKED");
            JsonObject off = Topics.await(topics, schemas, EventTypes.HOLDER_OFFBOARDING_REQUESTED, holder).json();
            Topics.reply(UUID.fromString(off.getString("requestId")), holder, null, "HolderOffboardingRequested",
                    "ERASED", null, null, null);
        }
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).until(() -> "OFFBOARDED".equals(
                Api.officer().when().get("/v1/holders/{id}", holder).then().extract().<String>path("status")));
        refused(TestKafka.clientProperties(kafka.get("principal"), kafka.get("password"), RightsBroker.bootstrap()));
    }

    @Test
    void aFailedRegistrationLeavesNoKafkaPrincipalThatLogsIn() throws Exception {
        // a registration refused by account-service after the brokers granted its principal: the grant is undone
        String holder = "undo-" + UUID.randomUUID().toString().substring(0, 8);
        AccountStub.HOLDER_CLIENTS_DOWN.set(true);
        register(holder, "KAFKA", List.of(Scopes.CONTACT_READ)).statusCode(503);
        AccountStub.HOLDER_CLIENTS_DOWN.set(false);
        Api.officer().when().get("/v1/holders/{id}", holder).then().statusCode(404);
        // the brokers hold no credential of that principal (asked as the registrar, which may describe them)
        try (Admin admin = Admin.create(TestKafka.clientProperties(KafkaAccess.HOLDER_REGISTRAR, RightsBroker.bootstrap()))) {
            assertThatThrownBy(() -> admin.describeUserScramCredentials(List.of("holder-" + holder))
                    .description("holder-" + holder).get(15, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(ResourceNotFoundException.class);
        }
        // while a registered Kafka holder's credential is there (the check above would see one)
        String kept = "kept-" + UUID.randomUUID().toString().substring(0, 8);
        register(kept, "KAFKA", List.of(Scopes.CONTACT_READ)).statusCode(201);
        try (Admin admin = Admin.create(TestKafka.clientProperties(KafkaAccess.HOLDER_REGISTRAR, RightsBroker.bootstrap()))) {
            assertThat(admin.describeUserScramCredentials(List.of("holder-" + kept)).description("holder-" + kept)
                    .get(15, TimeUnit.SECONDS).credentialInfos()).isNotEmpty();
        }
    }

    private static io.restassured.response.ValidatableResponse register(String id, String channel, List<String> oauthScopes) {
        Map<String, Object> body = new HashMap<>(Map.of("id", id, "kind", "DOWNSTREAM",
                "categories", List.of("contact"), "purposes", List.of("marketing-email"), "region", "CN",
                "channel", channel, "ackSlaSeconds", 3600));
        if (channel.equals("WEBHOOK")) {
            body.put("webhookUrl", "https://127.0.0.1:9/pledge"); // loopback: allow-listed in the test profile only
        }
        if (oauthScopes != null) {
            body.put("oauthScopes", oauthScopes);
        }
        return Api.officer().body(body).when().post("/v1/holders").then();
    }

    private static void refused(Properties login) {
        Properties p = (Properties) login.clone();
        p.put("max.block.ms", "8000");
        p.put("delivery.timeout.ms", "12000");
        p.put("request.timeout.ms", "5000");
        p.put("linger.ms", "0");
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            assertThatThrownBy(() -> producer.send(new ProducerRecord<>("rights.replies", UUID.randomUUID().toString(),
                    "{}".getBytes(StandardCharsets.UTF_8))).get(15, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }
}
