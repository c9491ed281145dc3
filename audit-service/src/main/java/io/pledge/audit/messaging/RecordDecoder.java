package io.pledge.audit.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pledge.audit.ledger.Categories;
import io.pledge.audit.ledger.NewEntry;
import io.pledge.audit.ledger.PersonalFieldScreen;
import io.pledge.events.EventJson;
import io.pledge.events.EventType;
import io.pledge.events.EventTypes;
import io.pledge.events.TopicCatalogue;
import io.pledge.kit.events.CloudEventHeaders;
import io.pledge.kit.events.Envelope;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.events.EventTypeRegistry;
import io.pledge.kit.events.PoisonRecordException;
import io.vertx.core.json.JsonObject;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * Turns a Kafka record into the entry to append. An event on a catalogue topic must have a CloudEvents envelope, a
 * known type, a subject id that is a UUID (or none) and a JSON object body that is valid against its schema and has
 * no property that looks personal; otherwise it is a {@link PoisonRecordException} (dead-lettered, then recorded
 * from the dead-letter topic). A record on a dead-letter topic is never poison: only its metadata is recorded (who
 * refused it, why, where it came from), never its body, and only header values that are plain identifiers.
 */
@ApplicationScoped
public class RecordDecoder {

    private static final Pattern SAFE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9:._/-]{0,199}");
    private static final Pattern SAFE_TYPE = Pattern.compile("io\\.pledge\\.[a-z-]+\\.[A-Za-z]+\\.v[0-9]+");
    private static final Pattern SAFE_SOURCE = Pattern.compile("/pledge/[a-z0-9-]{1,100}");
    private static final Pattern SAFE_CONSUMER = Pattern.compile("[a-z0-9-]{1,100}(/[A-Za-z0-9._-]{1,100})?");
    private static final int MAX_REASON = 500;

    private final Map<String, JsonNode> schemaTrees = new ConcurrentHashMap<>();
    private final EventTypeRegistry types;
    private final EventSchemas schemas;

    public RecordDecoder(EventTypeRegistry types, EventSchemas schemas) {
        this.types = types;
        this.schemas = schemas;
    }

    /** The entry for a record, or a {@link PoisonRecordException} saying why it cannot be recorded. */
    public NewEntry decode(ConsumerRecord<String, byte[]> record) {
        if (record.topic().endsWith(TopicCatalogue.DLQ_SUFFIX)) {
            return deadLetter(record);
        }
        Envelope envelope = Envelope.fromHeaders(record.headers());
        EventType<?> type = types.find(envelope.type())
                .orElseThrow(() -> new PoisonRecordException("unknown event type " + safeType(envelope.type())));
        UUID subject = uuid(envelope.subject());
        if (envelope.subject() != null && subject == null) {
            throw new PoisonRecordException("ce_subject is not a subject id (UUID)");
        }
        if (record.value() == null) {
            throw new PoisonRecordException("record has no body");
        }
        String body = new String(record.value(), StandardCharsets.UTF_8);
        JsonNode tree;
        try {
            tree = EventJson.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new PoisonRecordException("body is not JSON");
        }
        if (!(tree instanceof ObjectNode)) {
            throw new PoisonRecordException("body is not a JSON object");
        }
        Optional<String> personal = PersonalFieldScreen.firstPersonalProperty(tree, schemaOf(type));
        if (personal.isPresent()) {
            throw new PoisonRecordException("body property " + personal.get()
                    + " looks like personal data; events carry ids and codes only");
        }
        schemas.validate(type, new JsonObject(body));
        return new NewEntry(envelope.id(), envelope.type(), envelope.source(), subject, envelope.time(),
                envelope.dataschema(), record.topic(), record.partition(), record.offset(),
                Categories.of(record.topic(), envelope.type()), actor(type, tree, envelope.source(), staffActor(record)),
                body);
    }

    /**
     * The entry flagging a record refused on a topic that has no dead-letter topic (the compacted consent.state):
     * its metadata and the reason, like a dead letter's.
     */
    public NewEntry rejected(ConsumerRecord<String, byte[]> record, String consumer, String reason) {
        return metadata(record, "rejected:" + record.topic() + ":" + record.partition() + ":" + record.offset(),
                record.topic(), record.partition(), record.offset(), consumer, reason);
    }

    private NewEntry deadLetter(ConsumerRecord<String, byte[]> record) {
        String originalTopic = header(record.headers(), "dead-letter-topic");
        Long originalPartition = number(header(record.headers(), "dead-letter-partition"));
        Long originalOffset = number(header(record.headers(), "dead-letter-offset"));
        return metadata(record, "dlq:" + record.topic() + ":" + record.partition() + ":" + record.offset(),
                originalTopic != null && TopicCatalogue.find(originalTopic).isPresent() ? originalTopic : null,
                originalPartition, originalOffset, header(record.headers(), "dead-letter-consumer"),
                header(record.headers(), "dead-letter-reason"));
    }

    private NewEntry metadata(ConsumerRecord<String, byte[]> record, String eventId, String originalTopic,
                              Number originalPartition, Number originalOffset, String consumer, String reason) {
        Headers h = record.headers();
        String type = safeType(header(h, CloudEventHeaders.TYPE));
        String source = header(h, CloudEventHeaders.SOURCE);
        source = source != null && SAFE_SOURCE.matcher(source).matches() ? source : "unknown";
        String originalId = header(h, CloudEventHeaders.ID);
        String safeConsumer = consumer != null && SAFE_CONSUMER.matcher(consumer).matches() ? consumer : "unknown";
        ObjectNode body = EventJson.mapper().createObjectNode();
        body.put("originalEventId", originalId != null && SAFE_ID.matcher(originalId).matches() ? originalId : null);
        body.put("originalType", type);
        body.put("originalSource", source);
        body.put("originalTopic", originalTopic);
        if (originalPartition != null) {
            body.put("originalPartition", originalPartition.longValue());
        }
        if (originalOffset != null) {
            body.put("originalOffset", originalOffset.longValue());
        }
        body.put("consumer", safeConsumer);
        body.put("reason", reason == null ? "unknown" : reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason);
        String actor = safeConsumer.contains("/") ? safeConsumer.substring(0, safeConsumer.indexOf('/')) : safeConsumer;
        String topic = record.topic();
        return new NewEntry(eventId, type, source, uuid(header(h, CloudEventHeaders.SUBJECT)),
                Instant.ofEpochMilli(record.timestamp()), null, topic, record.partition(), record.offset(),
                Categories.DEAD_LETTER, actor, body.toString());
    }

    /** The published JSON Schema of a type, as a tree (cached). */
    private JsonNode schemaOf(EventType<?> type) {
        return schemaTrees.computeIfAbsent(type.type(), k -> {
            try (InputStream in = RecordDecoder.class.getClassLoader().getResourceAsStream(type.schemaResource())) {
                return in == null ? null : EventJson.mapper().readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** The {@code ce_actor} extension: the staff member whose request caused the event, when it is a staff id. */
    private static String staffActor(ConsumerRecord<String, byte[]> record) {
        org.apache.kafka.common.header.Header h = record.headers().lastHeader(CloudEventHeaders.ACTOR);
        if (h == null || h.value() == null) {
            return null;
        }
        UUID id = uuid(new String(h.value(), StandardCharsets.UTF_8));
        return id == null ? null : id.toString();
    }

    /**
     * Who acted: the replying holder, the reader of personal data, else the staff member whose request caused the
     * event ({@code ce_actor}), else the producing service.
     */
    private static String actor(EventType<?> type, JsonNode body, String source, String staff) {
        String holder = null;
        if (type.equals(EventTypes.HOLDER_REPLIED)) {
            holder = body.path("holderId").asText(null);
        } else if (type.equals(EventTypes.PERSONAL_DATA_ACCESSED)) {
            holder = body.path("accessorId").asText(null);
        }
        if (holder != null && !holder.isBlank()) {
            return holder.length() > 200 ? holder.substring(0, 200) : holder;
        }
        if (staff != null) {
            return staff;
        }
        return source.startsWith("/pledge/") ? source.substring("/pledge/".length()) : source;
    }

    private static String safeType(String type) {
        return type != null && SAFE_TYPE.matcher(type).matches() ? type : "unknown";
    }

    private static UUID uuid(String value) {
        if (value == null) {
            return null;
        }
        try {
            UUID u = UUID.fromString(value);
            return u.toString().equalsIgnoreCase(value) ? u : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Long number(String value) {
        try {
            return value == null ? null : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String header(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
