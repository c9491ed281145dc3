package io.pledge.audit.query;

import io.pledge.events.EventType;
import io.pledge.events.EventTypes;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The validated filters of a query; every bad parameter is a 400 problem naming it (never echoing the value).
 *
 * @param subjectId only this subject's entries, or null
 * @param from      event time from (inclusive), or null
 * @param to        event time to (exclusive), or null
 * @param type      a full {@code ce_type}, or null
 * @param holder    who acted, or null
 * @param page      page number from 0
 * @param size      page size
 */
public record AuditQuery(UUID subjectId, Instant from, Instant to, String type, String holder, int page, int size) {

    private static final Pattern HOLDER = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}");

    /** Parses raw query parameters. */
    public static AuditQuery parse(String subjectId, String from, String to, String type, String holder, String page,
                                   String size, int maxSize) {
        UUID subject = subjectId == null ? null : uuid(subjectId, "subjectId");
        Instant f = instant(from, "from");
        Instant t = instant(to, "to");
        if (f != null && t != null && !f.isBefore(t)) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "from must be before to", "from");
        }
        String fullType = type == null ? null : type(type);
        if (holder != null && !HOLDER.matcher(holder).matches()) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "holder must be a holder id", "holder");
        }
        int p = integer(page, "page", 0, 0, Integer.MAX_VALUE / 2);
        int s = integer(size, "size", 50, 1, maxSize);
        return new AuditQuery(subject, f, t, fullType, holder, p, s);
    }

    public static UUID uuid(String value, String field) {
        try {
            UUID u = UUID.fromString(value);
            if (u.toString().equalsIgnoreCase(value)) {
                return u;
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new ProblemException(ProblemType.INVALID_INPUT, field + " must be a UUID", field);
    }

    private static Instant instant(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.INVALID_INPUT, field + " must be an ISO-8601 UTC timestamp", field);
        }
    }

    /** A full type ({@code io.pledge.consent.ConsentWithdrawn.v1}) or an event name ({@code ConsentWithdrawn}). */
    private static String type(String value) {
        return EventTypes.find(value).map(EventType::type)
                .or(() -> EventTypes.all().stream().filter(t -> t.name().equals(value)).map(EventType::type).findFirst())
                .orElseThrow(() -> new ProblemException(ProblemType.INVALID_INPUT,
                        "type must be an event type of the catalogue", "type"));
    }

    private static int integer(String value, String field, int dflt, int min, int max) {
        if (value == null) {
            return dflt;
        }
        try {
            int v = Integer.parseInt(value);
            if (v >= min && v <= max) {
                return v;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw new ProblemException(ProblemType.INVALID_INPUT, field + " must be an integer from " + min + " to " + max,
                field);
    }
}
