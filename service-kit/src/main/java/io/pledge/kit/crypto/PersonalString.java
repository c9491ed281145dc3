package io.pledge.kit.crypto;

import java.util.Objects;
import org.hibernate.annotations.Immutable;
import java.util.UUID;

/**
 * A personal value of one subject, for entity fields: declare the field as
 * {@code @Convert(converter = PersonalStringConverter.class) PersonalString email} and assign
 * {@code PersonalString.of(subjectId, "email", value)}. It is stored sealed under the subject's
 * data key; the service holds no crypto code. Once the subject is shredded, a loaded value is
 * {@link #isErased() erased} and {@link #value()} says so instead of returning data.
 */
@Immutable
public final class PersonalString {

    private final UUID subjectId;
    private final String field;
    private final String value;
    private final boolean erased;

    private PersonalString(UUID subjectId, String field, String value, boolean erased) {
        this.subjectId = Objects.requireNonNull(subjectId, "subjectId");
        this.field = Objects.requireNonNull(field, "field");
        this.value = value;
        this.erased = erased;
    }

    public static PersonalString of(UUID subjectId, String field, String value) {
        return new PersonalString(subjectId, field, Objects.requireNonNull(value, "value"), false);
    }

    static PersonalString erased(UUID subjectId, String field) {
        return new PersonalString(subjectId, field, null, true);
    }

    public UUID subjectId() {
        return subjectId;
    }

    public String field() {
        return field;
    }

    /** Whether the subject's keys were destroyed, so the value is gone. */
    public boolean isErased() {
        return erased;
    }

    /**
     * @throws SubjectShreddedException when the subject's keys were destroyed
     */
    public String value() {
        if (erased) {
            throw new SubjectShreddedException(subjectId, null);
        }
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PersonalString p && p.erased == erased && p.subjectId.equals(subjectId)
                && p.field.equals(field) && Objects.equals(p.value, value);
    }

    @Override
    public int hashCode() {
        return Objects.hash(subjectId, field, value, erased);
    }

    /** Never the value: personal data stays out of logs and exception messages. */
    @Override
    public String toString() {
        return "PersonalString[" + field + " of " + subjectId + (erased ? ", erased" : "") + "]";
    }
}
