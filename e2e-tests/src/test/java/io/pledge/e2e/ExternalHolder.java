package io.pledge.e2e;

import io.pledge.kit.testing.TestKafka;
import com.fasterxml.jackson.databind.JsonNode;
import io.pledge.events.EventJson;
import io.pledge.events.EventType;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.HolderReplied;
import io.pledge.events.rights.ReplySignatures;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * A downstream team's holder as it would be written without Pledge's code: a plain Kafka consumer of
 * {@code rights.commands} and a producer of {@code HolderReplied} on {@code rights.replies}, CloudEvents
 * binary mode, built only on the published {@code privacy-events} contract. It answers each command
 * naming it with the outcome its policy function gives (never EXPORTED: it has no export endpoint), or
 * not at all when that gives null (a holder that never replies). Every command it saw is kept for assertions.
 * Each reply is signed with the holder's own Ed25519 key ({@link ReplySignatures}), whose public JWK
 * ({@link #publicJwk}) is registered with the holder.
 */
final class ExternalHolder implements AutoCloseable {

    /** A command this holder received: its ce_type, ce_id and body. */
    record Command(String type, String id, JsonNode body) {
        String requestId() {
            return body.path("requestId").asText();
        }
    }

    /** The Kafka login rights-request-service gave each holder at registration (its answer's {@code kafka}). */
    private static final Map<String, Map<String, String>> LOGINS = new ConcurrentHashMap<>();

    /** Keeps the Kafka login from a holder's registration answer, for the holder to connect as itself. */
    static void registered(String holderId, Map<String, String> kafka) {
        if (kafka == null || kafka.get("password") == null) {
            throw new AssertionError("the registration of Kafka holder " + holderId + " returned no Kafka credential");
        }
        LOGINS.put(holderId, kafka);
    }

    /** Each holder's signing key, one per holder id for the run (registered before the holder starts). */
    private static final Map<String, KeyPair> KEYS = new ConcurrentHashMap<>();

    private final String holderId;
    private final Function<Command, String> outcome;
    private final KafkaConsumer<String, byte[]> consumer;
    private final KafkaProducer<String, byte[]> producer;
    private final List<Command> received = Collections.synchronizedList(new ArrayList<>());
    private final Set<String> answered = ConcurrentHashMap.newKeySet();
    private final Thread loop;
    private volatile boolean running = true;

    /**
     * @param holderId its id in the holder registry
     * @param outcome  the outcome to reply for a command (ERASED, EXPORTED, APPLIED…), or null to stay silent
     */
    ExternalHolder(String holderId, Function<Command, String> outcome) {
        this.holderId = holderId;
        this.outcome = outcome;
        // the holder's own principal, password and group prefix, as its registration answered them
        Map<String, String> login = LOGINS.get(holderId);
        if (login == null) {
            throw new IllegalStateException("holder " + holderId + " was not registered through ExternalHolder.registered");
        }
        Properties c = TestKafka.clientProperties(login.get("principal"), login.get("password"), PledgeSystem.KAFKA);
        c.put("group.id", login.get("groupPrefix") + PledgeSystem.RUN + "-" + UUID.randomUUID());
        c.put("auto.offset.reset", "latest");
        c.put("enable.auto.commit", "true");
        consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());
        Properties p = TestKafka.clientProperties(login.get("principal"), login.get("password"), PledgeSystem.KAFKA);
        p.put("acks", "all");
        p.put("enable.idempotence", "true");
        producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        consumer.subscribe(List.of("rights.commands"));
        // join the group and get partitions before the test issues anything; the ACLs a registration just wrote reach
        // the broker's authorizer a moment later, so a refusal within the first seconds is retried, as a client would
        long deadline = System.currentTimeMillis() + 30_000;
        while (consumer.assignment().isEmpty() && System.currentTimeMillis() < deadline) {
            try {
                consumer.poll(Duration.ofMillis(200));
            } catch (org.apache.kafka.common.errors.AuthorizationException notYet) {
                if (System.currentTimeMillis() > deadline - 20_000) {
                    throw notYet;
                }
                sleep(250);
            }
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        loop = new Thread(this::run, "external-holder-" + holderId);
        loop.setDaemon(true);
        loop.start();
    }

    /** The holder's signing key pair (created on first use). */
    static KeyPair keyPair(String holderId) {
        return KEYS.computeIfAbsent(holderId, id -> {
            try {
                return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** The public JWK the holder registers, its kid the RFC 7638 thumbprint. */
    static Map<String, Object> publicJwk(String holderId) {
        KeyPair k = keyPair(holderId);
        return ReplySignatures.jwk(k.getPublic(), ReplySignatures.thumbprintOf(k.getPublic()));
    }

    /** A reply signed by this holder's key. */
    HolderReplied signed(HolderReplied reply) {
        KeyPair k = keyPair(holderId);
        return ReplySignatures.sign(reply, ReplySignatures.thumbprintOf(k.getPublic()), k.getPrivate());
    }

    List<Command> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    private void run() {
        while (running) {
            org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> records;
            try {
                records = consumer.poll(Duration.ofMillis(200));
            } catch (org.apache.kafka.common.errors.AuthorizationException
                     | org.apache.kafka.common.errors.AuthenticationException revoked) {
                // offboarded: its principal is gone once it acknowledged; a holder in that state stops reading
                // (an uncaught exception here would fail whatever the test is awaiting on another thread)
                break;
            }
            for (ConsumerRecord<String, byte[]> r : records) {
                try {
                    handle(r);
                } catch (Exception e) {
                    // a holder that cannot read a record skips it, as the protocol allows; the test sees no reply
                }
            }
        }
        try {
            consumer.close(Duration.ofSeconds(2));
        } catch (RuntimeException revoked) {
            // committing offsets after the principal was removed is refused; nothing is left to keep
        }
    }

    private void handle(ConsumerRecord<String, byte[]> r) throws Exception {
        String type = header(r.headers(), "ce_type");
        String id = header(r.headers(), "ce_id");
        JsonNode body = EventJson.mapper().readTree(r.value());
        boolean named = false;
        for (JsonNode h : body.path("holderIds")) {
            named |= holderId.equals(h.asText());
        }
        if (body.has("holderId")) { // an offboarding names the holder itself
            named |= holderId.equals(body.path("holderId").asText());
        }
        if (!named) {
            return;
        }
        Command command = new Command(type, id, body);
        received.add(command);
        String result = outcome.apply(command);
        if (result == null) {
            return;
        }
        reply(command, result);
    }

    /** Answers an export command EXPORTED, its part fetched from {@code location} (under the registered export base). */
    void replyExported(Command command, String location) throws Exception {
        UUID subject = UUID.fromString(command.body().path("subjectId").asText());
        HolderReplied reply = new HolderReplied(UUID.fromString(command.requestId()), holderId, subject,
                "ExportRequested", "EXPORTED", null, null, location, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        send(EventTypes.HOLDER_REPLIED, signed(reply), UUID.randomUUID().toString());
        answered.add(command.requestId());
    }

    /** Answers an erasure RETAINED: {@code category} kept under {@code legalBasis} until {@code until} (its last day). */
    void replyRetained(Command command, String category, String legalBasis, java.time.LocalDate until) throws Exception {
        UUID subject = UUID.fromString(command.body().path("subjectId").asText());
        HolderReplied reply = new HolderReplied(UUID.fromString(command.requestId()), holderId, subject,
                "ErasureRequested", "RETAINED", Map.of(category, 0), List.of(new HolderReplied.RetainedItem(category,
                legalBasis, until)), null, null, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        send(EventTypes.HOLDER_REPLIED, signed(reply), UUID.randomUUID().toString());
        answered.add(command.requestId());
    }

    /** Sends the reply for a command, again if asked: a duplicate delivery as a real holder might produce. */
    void reply(Command command, String result) throws Exception {
        String commandName = command.type().replaceAll("^io\\.pledge\\.rights\\.", "").replaceAll("\\.v\\d+$", "");
        UUID subject = command.body().hasNonNull("subjectId") ? UUID.fromString(command.body().path("subjectId").asText())
                : null;
        HolderReplied reply = new HolderReplied(UUID.fromString(command.requestId()), holderId, subject, commandName,
                result, "ERASED".equals(result) ? Map.of("analytics-profile", 1) : null, null,
                null, "FAILED".equals(result) ? "STORE_UNAVAILABLE" : null,
                Instant.now().truncatedTo(ChronoUnit.MILLIS));
        send(EventTypes.HOLDER_REPLIED, signed(reply), UUID.randomUUID().toString());
        answered.add(command.requestId());
    }

    /** Publishes an event as this holder, with the CloudEvents headers a Pledge consumer expects. */
    <T extends io.pledge.events.PrivacyEvent> void send(EventType<T> type, T event, String eventId) throws Exception {
        Headers h = new RecordHeaders();
        h.add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
        h.add("ce_id", eventId.getBytes(StandardCharsets.UTF_8));
        h.add("ce_type", type.type().getBytes(StandardCharsets.UTF_8));
        h.add("ce_source", ("/holders/" + holderId).getBytes(StandardCharsets.UTF_8));
        h.add("ce_time", Instant.now().truncatedTo(ChronoUnit.MILLIS).toString().getBytes(StandardCharsets.UTF_8));
        h.add("ce_dataschema", type.dataschema().getBytes(StandardCharsets.UTF_8));
        h.add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
        if (event.subject() != null) {
            h.add("ce_subject", event.subject().getBytes(StandardCharsets.UTF_8));
        }
        producer.send(new ProducerRecord<>(type.topic(), null, event.key(), EventJson.mapper().writeValueAsBytes(event),
                h)).get();
    }

    private static String header(Headers headers, String name) {
        var h = headers.lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        running = false;
        try {
            loop.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
