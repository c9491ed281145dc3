package io.pledge.rights.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pledge.events.EventTypes;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.testing.TestKafka;
import io.pledge.rights.support.AccountStub;
import io.pledge.rights.support.Api;
import io.pledge.rights.support.RightsBroker;
import io.pledge.rights.support.Topics;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A Kafka holder's own principal, on this module's real broker (SASL/SCRAM and the ACLs of KafkaAccess): created at
 * registration with its password shown once, able to read rights.commands and nothing a service writes, rotated with
 * the old password refused, and refused once the holder is offboarded.
 */
@QuarkusTest
@WithTestResource(value = RightsBroker.class, scope = TestResourceScope.GLOBAL)
class KafkaHolderPrincipalTest {

    @Inject
    EventSchemas schemas;

    @BeforeAll
    static void stub() {
        AccountStub.ensure();
    }

    @Test
    @SuppressWarnings("unchecked")
    void aKafkaHolderGetsItsOwnPrincipalUntilItIsOffboarded() throws Exception {
        String holder = "kafka-" + UUID.randomUUID().toString().substring(0, 8);
        Map<String, Object> registered = register(holder, "KAFKA").extract().as(Map.class);
        Map<String, String> kafka = (Map<String, String>) registered.get("kafka");
        assertThat(kafka).containsEntry("principal", "holder-" + holder).containsEntry("mechanism", "SCRAM-SHA-512")
                .containsEntry("groupPrefix", "holder-" + holder + ":");
        assertThat(kafka.get("password")).hasSizeGreaterThanOrEqualTo(40);
        // shown once: never again
        assertThat(Api.officer().when().get("/v1/holders/{id}", holder).then().statusCode(200).extract().<Object>path("kafka"))
                .isNull();

        Properties login = TestKafka.clientProperties(kafka.get("principal"), kafka.get("password"), RightsBroker.bootstrap());
        readsCommands(login, kafka.get("groupPrefix"));
        try (KafkaProducer<String, byte[]> p = producer(login)) {
            for (String forbidden : List.of("account.events", "rights.commands", "consent.state")) {
                assertThatThrownBy(() -> p.send(record(forbidden)).get(15, TimeUnit.SECONDS))
                        .as("the holder writing %s", forbidden).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }

        // rotation: the new password works, the old one is refused at once
        Map<String, Object> rotated = Api.officer().when().post("/v1/holders/{id}/kafka-credential", holder).then()
                .statusCode(200).extract().as(Map.class);
        Map<String, String> fresh = (Map<String, String>) rotated.get("kafka");
        assertThat(fresh.get("password")).isNotEqualTo(kafka.get("password"));
        refused(login);
        Properties freshLogin = TestKafka.clientProperties(fresh.get("principal"), fresh.get("password"), RightsBroker.bootstrap());
        readsCommands(freshLogin, fresh.get("groupPrefix"));

        // offboarded: once the holder acknowledged, its principal is gone
        try (KafkaConsumer<String, byte[]> topics = Topics.tail("rights.commands")) {
            Api.officer().when().post("/v1/holders/{id}/offboarding", holder).then().statusCode(202);
            JsonObject off = Topics.await(topics, schemas, EventTypes.HOLDER_OFFBOARDING_REQUESTED, holder).json();
            Topics.reply(UUID.fromString(off.getString("requestId")), holder, null, "HolderOffboardingRequested",
                    "ERASED", null, null, null);
        }
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> "OFFBOARDED".equals(
                Api.officer().when().get("/v1/holders/{id}", holder).then().extract().<String>path("status")));
        refused(freshLogin);
    }

    @Test
    void aWebhookHolderGetsNoKafkaPrincipalAndAMissingHolderNoRotation() {
        String holder = "hook-" + UUID.randomUUID().toString().substring(0, 8);
        assertThat(register(holder, "WEBHOOK").extract().<Object>path("kafka")).isNull();
        Api.officer().when().post("/v1/holders/{id}/kafka-credential", holder).then().statusCode(409)
                .contentType("application/problem+json");
        Api.officer().when().post("/v1/holders/{id}/kafka-credential", "no-such-holder").then().statusCode(404)
                .contentType("application/problem+json");
        Api.as(UUID.randomUUID()).when().post("/v1/holders/{id}/kafka-credential", holder).then().statusCode(403);
    }

    private static io.restassured.response.ValidatableResponse register(String id, String channel) {
        Map<String, Object> body = new java.util.HashMap<>(Map.of("id", id, "kind", "DELEGATEE",
                "categories", List.of("support-tickets"), "purposes", List.of("core-service"), "region", "CN",
                "channel", channel, "ackSlaSeconds", 3600));
        if (channel.equals("WEBHOOK")) {
            body.put("webhookUrl", "https://127.0.0.1:9/pledge"); // loopback: allow-listed in the test profile only
        }
        return Api.officer().body(body).when().post("/v1/holders").then().statusCode(201);
    }

    private static void readsCommands(Properties login, String groupPrefix) {
        Properties c = (Properties) login.clone();
        c.put("group.id", groupPrefix + "test");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("rights.commands"));
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (consumer.assignment().isEmpty() && System.nanoTime() < end) {
                consumer.poll(Duration.ofMillis(300));
            }
            assertThat(consumer.assignment()).as("the holder joined its group on rights.commands").isNotEmpty();
        }
    }

    private static void refused(Properties login) {
        try (KafkaProducer<String, byte[]> p = producer(login)) {
            assertThatThrownBy(() -> p.send(record("rights.replies")).get(15, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    private static KafkaProducer<String, byte[]> producer(Properties login) {
        Properties p = (Properties) login.clone();
        p.put("max.block.ms", "8000");
        p.put("delivery.timeout.ms", "12000");
        p.put("request.timeout.ms", "5000");
        p.put("linger.ms", "0");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private static ProducerRecord<String, byte[]> record(String topic) {
        return new ProducerRecord<>(topic, UUID.randomUUID().toString(), "{}".getBytes(StandardCharsets.UTF_8));
    }
}
