package io.pledge.events.account;

import io.pledge.events.PrivacyEvent;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A subject added, changed or removed optional profile fields (policy 2.1.1(1)); field names only, never values.
 *
 * @param subjectId     the data subject
 * @param fieldsAdded   names of fields that now have a value and had none: province, city, nickname, address, qq,
 *                      website
 * @param fieldsChanged names of fields whose value changed
 * @param fieldsRemoved names of fields the subject cleared
 * @param changedAt     when the change was saved
 */
public record ProfileChanged(UUID subjectId, List<String> fieldsAdded, List<String> fieldsChanged,
                             List<String> fieldsRemoved, Instant changedAt) implements PrivacyEvent {

    public ProfileChanged {
        fieldsAdded = List.copyOf(fieldsAdded);
        fieldsChanged = List.copyOf(fieldsChanged);
        fieldsRemoved = List.copyOf(fieldsRemoved);
    }

    @Override
    public String key() {
        return subjectId.toString();
    }

    @Override
    public String subject() {
        return subjectId.toString();
    }
}
