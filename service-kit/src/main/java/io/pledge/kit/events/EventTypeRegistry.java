package io.pledge.kit.events;

import io.pledge.events.EventType;
import io.pledge.events.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The event types this service recognises on the wire: every type of {@link EventTypes}, plus any
 * {@link AdditionalEventTypes} bean (used by tests for test-only types). A {@code ce_type} not
 * known here is a poison record.
 */
@ApplicationScoped
public class EventTypeRegistry {

    /** Contributes event types beyond the published catalogue. */
    public interface AdditionalEventTypes {
        Iterable<EventType<?>> types();
    }

    private final Map<String, EventType<?>> byType = new HashMap<>();

    public EventTypeRegistry(Instance<AdditionalEventTypes> additional) {
        EventTypes.all().forEach(t -> byType.put(t.type(), t));
        additional.forEach(a -> a.types().forEach(t -> byType.put(t.type(), t)));
    }

    public Optional<EventType<?>> find(String type) {
        return Optional.ofNullable(byType.get(type));
    }
}
