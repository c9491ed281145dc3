package io.pledge.kit.crypto;

import jakarta.persistence.PostLoad;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * JPA entity listener: refuses to load an entity whose {@link PersonalString} fields were sealed for
 * another subject or another field — ciphertext copied from elsewhere authenticates under the key
 * and field it was sealed for, so where it now sits is checked here. A field's label is its Java
 * field name: {@code PersonalString.of(subjectId, "email", ...)} goes in the field {@code email}.
 */
public class PersonalDataGuard {

    private static final Map<Class<?>, List<Field>> FIELDS = new ConcurrentHashMap<>();

    @PostLoad
    void checkOwner(Object entity) {
        if (!(entity instanceof OwnedBySubject owned)) {
            return;
        }
        UUID owner = owned.ownerSubjectId();
        for (Field f : FIELDS.computeIfAbsent(entity.getClass(), PersonalDataGuard::personalFields)) {
            try {
                PersonalString value = (PersonalString) f.get(entity);
                if (value == null) {
                    continue;
                }
                if (!value.subjectId().equals(owner)) {
                    throw new PersonalDataUnreadableException("personal field '" + f.getName() + "' of subject " + owner
                            + " holds a value sealed for another subject: it was moved, and is refused");
                }
                if (!value.field().equals(f.getName())) {
                    throw new PersonalDataUnreadableException("personal field '" + f.getName() + "' of subject " + owner
                            + " holds a value sealed for field '" + value.field() + "': it was moved, and is refused");
                }
            } catch (IllegalAccessException e) {
                throw new IllegalStateException("cannot read " + f, e);
            }
        }
    }

    private static List<Field> personalFields(Class<?> type) {
        List<Field> out = new ArrayList<>();
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() == PersonalString.class) {
                    f.setAccessible(true);
                    out.add(f);
                }
            }
        }
        return out;
    }
}
