package io.pledge.kit.events;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The CloudEvents context of one event: what travels in {@code ce_*} headers beside the JSON body.
 *
 * @param id         {@code ce_id}, the idempotency key everywhere
 * @param type       {@code ce_type}, e.g. {@code io.pledge.consent.ConsentWithdrawn.v1}
 * @param source     {@code ce_source}, the producing service, e.g. {@code /pledge/consent-service}
 * @param subject    {@code ce_subject}, the data subject's id, or null
 * @param time       {@code ce_time}
 * @param dataschema {@code ce_dataschema}, the schema's URI, or null
 */
public record Envelope(String id, String type, String source, String subject, Instant time, String dataschema) {

    /** The Kafka headers of this envelope (binary content mode). */
    public Headers toHeaders() {
        RecordHeaders h = new RecordHeaders();
        put(h, CloudEventHeaders.SPECVERSION, CloudEventHeaders.SPEC_VERSION_1_0);
        put(h, CloudEventHeaders.ID, id);
        put(h, CloudEventHeaders.TYPE, type);
        put(h, CloudEventHeaders.SOURCE, source);
        put(h, CloudEventHeaders.SUBJECT, subject);
        put(h, CloudEventHeaders.TIME, time.toString());
        put(h, CloudEventHeaders.DATASCHEMA, dataschema);
        put(h, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        return h;
    }

    /**
     * Reads the envelope from a record's headers.
     *
     * @throws PoisonRecordException when a required attribute is missing or malformed
     */
    public static Envelope fromHeaders(Headers headers) {
        String spec = get(headers, CloudEventHeaders.SPECVERSION);
        if (!CloudEventHeaders.SPEC_VERSION_1_0.equals(spec)) {
            throw new PoisonRecordException("not a CloudEvents 1.0 record (ce_specversion missing or not 1.0)");
        }
        String id = required(headers, CloudEventHeaders.ID);
        String type = required(headers, CloudEventHeaders.TYPE);
        String source = required(headers, CloudEventHeaders.SOURCE);
        Instant time;
        try {
            time = Instant.parse(required(headers, CloudEventHeaders.TIME));
        } catch (DateTimeParseException e) {
            throw new PoisonRecordException("ce_time is not an RFC 3339 timestamp");
        }
        if (id.length() > 200 || type.length() > 200) {
            throw new PoisonRecordException("ce_id or ce_type longer than 200 characters");
        }
        return new Envelope(id, type, source, get(headers, CloudEventHeaders.SUBJECT), time,
                get(headers, CloudEventHeaders.DATASCHEMA));
    }

    private static String required(Headers headers, String name) {
        String v = get(headers, name);
        if (v == null || v.isBlank()) {
            throw new PoisonRecordException("required CloudEvents header " + name + " is missing");
        }
        return v;
    }

    private static String get(Headers headers, String name) {
        Header h = headers.lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    private static void put(RecordHeaders h, String name, String value) {
        if (value != null) {
            h.add(name, value.getBytes(StandardCharsets.UTF_8));
        }
    }
}
