package io.pledge.kit.crypto;

import io.quarkus.arc.Arc;
import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

/**
 * Stores a {@link PersonalString} sealed ({@link FieldCipher}) and opens it on load. A value of a
 * shredded subject loads as erased; an altered or moved value fails the load with a
 * {@link PersonalDataUnreadableException} naming the subject and field.
 */
@Converter
public class PersonalStringConverter implements AttributeConverter<PersonalString, String> {

    private FieldCipher cipher() {
        return Arc.container().instance(FieldCipher.class).get();
    }

    @Override
    public String convertToDatabaseColumn(PersonalString attribute) {
        if (attribute == null) {
            return null;
        }
        return cipher().seal(attribute.subjectId(), attribute.field(), attribute.value()).encode();
    }

    @Override
    public PersonalString convertToEntityAttribute(String stored) {
        if (stored == null) {
            return null;
        }
        FieldCipher.Sealed sealed = FieldCipher.Sealed.decode(stored);
        try {
            return PersonalString.of(sealed.subjectId(), sealed.field(), cipher().open(sealed.subjectId(), sealed.field(), sealed));
        } catch (SubjectShreddedException e) {
            return PersonalString.erased(sealed.subjectId(), sealed.field());
        }
    }
}
