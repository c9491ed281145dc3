package io.pledge.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pledge.events.KafkaAccess;
import io.pledge.events.TopicCatalogue;
import io.pledge.kit.testing.LocalBroker;
import io.pledge.kit.testing.TestKafka;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The tests' broker (deploy/local/kafka-broker up test: SASL/SCRAM-SHA-512, StandardAuthorizer, nothing allowed
 * without an ACL, the ACLs of privacy-events' KafkaAccess) tried as an attacker would: without credentials, with a
 * wrong password, as a holder writing what only services write, as a service writing another's topic, as an
 * offboarded holder. Each attempt must be refused by the broker, and the allowed paths must work, so the refusals are
 * the ACLs' doing and not a broken client.
 */
class KafkaAuthorizationTest {

    private static final Duration WAIT = Duration.ofSeconds(8);

    @Test
    void aClientWithoutCredentialsCanNeitherProduceNorConsume() {
        Properties plain = new Properties();
        plain.put("bootstrap.servers", TestKafka.BOOTSTRAP);
        plain.put("max.block.ms", "5000");
        plain.put("default.api.timeout.ms", "5000");
        try (KafkaProducer<String, byte[]> p = producer(plain)) {
            assertThatThrownBy(() -> p.send(record(TopicCatalogue.RIGHTS_REPLIES)).get(15, TimeUnit.SECONDS))
                    .as("an anonymous producer").hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        try (KafkaConsumer<String, byte[]> c = consumer(plain)) {
            assertThatThrownBy(() -> c.partitionsFor(TopicCatalogue.RIGHTS_COMMANDS, Duration.ofSeconds(5)))
                    .as("an anonymous consumer").isInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
        // nor through the controller's listener (no anonymous principal there either)
        Properties controller = new Properties();
        controller.put("bootstrap.controllers", "127.0.0.1:" + (Integer.parseInt(TestKafka.BOOTSTRAP.split(":")[1]) + 1));
        controller.put("default.api.timeout.ms", "5000");
        controller.put("request.timeout.ms", "4000");
        try (Admin admin = Admin.create(controller)) {
            assertThatThrownBy(() -> admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY).values()
                    .get(15, TimeUnit.SECONDS)).as("an anonymous admin on the controller port").isNotNull()
                    .hasRootCauseInstanceOf(org.apache.kafka.common.errors.TimeoutException.class);
        }
    }

    @Test
    void aWrongPasswordIsRefused() {
        Properties wrong = TestKafka.clientProperties("account-service", "not-the-password", TestKafka.BOOTSTRAP);
        wrong.put("max.block.ms", "8000");
        try (KafkaProducer<String, byte[]> p = producer(wrong)) {
            assertThatThrownBy(() -> p.send(record(TopicCatalogue.ACCOUNT_EVENTS)).get(15, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
        try (KafkaConsumer<String, byte[]> c = consumer(wrong)) {
            assertThatThrownBy(() -> c.partitionsFor(TopicCatalogue.ACCOUNT_EVENTS, WAIT))
                    .isInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void aServiceWritesWhatItProducesAndNothingElse() throws Exception {
        try (KafkaProducer<String, byte[]> account = producer(TestKafka.clientProperties("account-service"))) {
            account.send(record(TopicCatalogue.ACCOUNT_EVENTS)).get(15, TimeUnit.SECONDS);
            for (String forbidden : List.of(TopicCatalogue.RIGHTS_COMMANDS, TopicCatalogue.CONSENT_EVENTS,
                    TopicCatalogue.RIGHTS_REQUEST_EVENTS)) {
                assertThatThrownBy(() -> account.send(record(forbidden)).get(15, TimeUnit.SECONDS))
                        .as("account-service writing %s", forbidden).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
        try (KafkaProducer<String, byte[]> consent = producer(TestKafka.clientProperties("consent-service"))) {
            assertThatThrownBy(() -> consent.send(record(TopicCatalogue.ACCOUNT_EVENTS)).get(15, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(TopicAuthorizationException.class);
        }
        // nor read a topic it does not consume (audit-service's trail of rights-request.events is audit's alone)
        try (KafkaConsumer<String, byte[]> consent = consumer(TestKafka.clientProperties("consent-service"))) {
            List<TopicPartition> parts = List.of(new TopicPartition(TopicCatalogue.RIGHTS_REQUEST_EVENTS, 0));
            consent.assign(parts);
            consent.seekToBeginning(parts);
            assertThatThrownBy(() -> consent.poll(WAIT)).isInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void aHolderReadsCommandsAndWritesRepliesOnlyUntilItIsOffboarded() throws Exception {
        String holder = KafkaAccess.holderPrincipal("authz-" + UUID.randomUUID().toString().substring(0, 8));
        String password = UUID.randomUUID().toString();
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(holder,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192), password))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(bindings(holder)).all().get(30, TimeUnit.SECONDS);
        }
        Properties asHolder = TestKafka.clientProperties(holder, password, TestKafka.BOOTSTRAP);
        asHolder.put("max.block.ms", "8000");

        // a command from rights-request-service reaches the holder, in a group of its own prefix
        String marker = UUID.randomUUID().toString();
        Properties c = (Properties) asHolder.clone();
        c.put("group.id", KafkaAccess.holderGroupPrefix(holder) + "commands");
        c.put("auto.offset.reset", "earliest");
        try (KafkaProducer<String, byte[]> rights = producer(TestKafka.clientProperties("rights-request-service"));
             KafkaConsumer<String, byte[]> consumer = consumer(c)) {
            rights.send(new ProducerRecord<>(TopicCatalogue.RIGHTS_COMMANDS, marker, marker.getBytes(StandardCharsets.UTF_8)))
                    .get(15, TimeUnit.SECONDS);
            consumer.subscribe(List.of(TopicCatalogue.RIGHTS_COMMANDS));
            List<String> keys = new ArrayList<>();
            long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (!keys.contains(marker) && System.nanoTime() < end) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    keys.add(r.key());
                }
            }
            assertThat(keys).as("the holder read rights.commands").contains(marker);
        }
        // another group than its own prefix is refused
        Properties other = (Properties) asHolder.clone();
        other.put("group.id", "rights-request-service");
        try (KafkaConsumer<String, byte[]> consumer = consumer(other)) {
            consumer.subscribe(List.of(TopicCatalogue.RIGHTS_COMMANDS));
            assertThatThrownBy(() -> consumer.poll(WAIT)).isInstanceOf(AuthorizationException.class);
        }

        try (KafkaProducer<String, byte[]> p = producer(asHolder)) {
            p.send(record(TopicCatalogue.RIGHTS_REPLIES)).get(15, TimeUnit.SECONDS);
            for (String forbidden : List.of(TopicCatalogue.ACCOUNT_EVENTS, TopicCatalogue.RIGHTS_COMMANDS,
                    TopicCatalogue.RIGHTS_REQUEST_EVENTS, TopicCatalogue.CONSENT_STATE)) {
                assertThatThrownBy(() -> p.send(record(forbidden)).get(15, TimeUnit.SECONDS))
                        .as("a holder writing %s", forbidden).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
        // a topic its registration did not grant is not readable
        try (KafkaConsumer<String, byte[]> consumer = consumer(asHolder)) {
            List<TopicPartition> parts = List.of(new TopicPartition(TopicCatalogue.ACCOUNT_EVENTS, 0));
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            assertThatThrownBy(() -> consumer.poll(WAIT)).isInstanceOf(TopicAuthorizationException.class);
        }

        // offboarding: credential and ACLs deleted; the principal is refused
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(holder, ScramMechanism.SCRAM_SHA_512)))
                    .all().get(30, TimeUnit.SECONDS);
            admin.deleteAcls(bindings(holder).stream().map(AclBinding::toFilter).toList()).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, byte[]> p = producer(asHolder)) {
            assertThatThrownBy(() -> p.send(record(TopicCatalogue.RIGHTS_REPLIES)).get(15, TimeUnit.SECONDS))
                    .hasRootCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    /** The ACLs KafkaAccess grants a holder, as Kafka bindings (what rights-request-service creates at registration). */
    private static List<AclBinding> bindings(String holder) {
        return KafkaAccess.holder(holder, List.of()).stream().map(a -> new AclBinding(
                new ResourcePattern(ResourceType.fromString(a.resourceType()), a.resource(), PatternType.fromString(a.patternType())),
                new AccessControlEntry("User:" + holder, "*", AclOperation.fromString(a.operation()), AclPermissionType.ALLOW)))
                .toList();
    }

    private static Admin admin() {
        return Admin.create(TestKafka.clientProperties(LocalBroker.ADMIN));
    }

    private static ProducerRecord<String, byte[]> record(String topic) {
        String key = UUID.randomUUID().toString();
        return new ProducerRecord<>(topic, key, "{}".getBytes(StandardCharsets.UTF_8));
    }

    private static KafkaProducer<String, byte[]> producer(Properties p) {
        Properties q = (Properties) p.clone();
        q.putIfAbsent("max.block.ms", "8000");
        q.put("delivery.timeout.ms", "12000");
        q.put("request.timeout.ms", "5000");
        q.put("linger.ms", "0");
        return new KafkaProducer<>(q, new StringSerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<String, byte[]> consumer(Properties p) {
        return new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer());
    }
}
