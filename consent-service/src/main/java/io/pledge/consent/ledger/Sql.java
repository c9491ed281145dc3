package io.pledge.consent.ledger;

import java.sql.Array;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.hibernate.query.TypedParameterValue;
import org.hibernate.type.StandardBasicTypes;

/** Reads the column values native queries return, whatever Java type the driver chose for them. */
public final class Sql {

    private Sql() {
    }

    public static Instant instant(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof Instant i) {
            return i;
        }
        if (o instanceof Timestamp t) {
            return t.toInstant();
        }
        if (o instanceof OffsetDateTime odt) {
            return odt.toInstant();
        }
        throw new IllegalStateException("not a timestamp: " + o.getClass().getName());
    }

    public static List<String> strings(Object o) {
        if (o == null) {
            return null;
        }
        if (o instanceof String[] a) {
            return List.of(a);
        }
        if (o instanceof Object[] a) {
            return Arrays.stream(a).map(String::valueOf).toList();
        }
        if (o instanceof Array arr) {
            try {
                return List.of((String[]) arr.getArray());
            } catch (SQLException e) {
                throw new IllegalStateException("array column unreadable", e);
            }
        }
        throw new IllegalStateException("not a text array: " + o.getClass().getName());
    }

    public static UUID uuid(Object o) {
        return o == null ? null : o instanceof UUID u ? u : UUID.fromString(o.toString());
    }

    public static long number(Object o) {
        return ((Number) o).longValue();
    }

    /** A PostgreSQL text[] literal; values are ids and codes checked against patterns before they get here. */
    public static String textArray(List<String> values) {
        return "{" + String.join(",", values) + "}";
    }

    /** A text parameter that may be null (a bare null has no type PostgreSQL can infer). */
    public static TypedParameterValue<String> text(String value) {
        return new TypedParameterValue<>(StandardBasicTypes.STRING, value);
    }

    /** A uuid parameter that may be null. */
    public static TypedParameterValue<UUID> uuidParam(UUID value) {
        return new TypedParameterValue<>(StandardBasicTypes.UUID, value);
    }

    /** A timestamptz parameter that may be null. */
    public static TypedParameterValue<Instant> time(Instant value) {
        return new TypedParameterValue<>(StandardBasicTypes.INSTANT, value);
    }
}
