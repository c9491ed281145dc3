package io.pledge.kit.inbox;

import io.pledge.events.PrivacyEvent;
import io.pledge.kit.events.Envelope;
import java.util.HashMap;
import java.util.Map;

/** What one consumer does with each event type it cares about; types not listed are acknowledged and skipped. */
public final class EventHandlers {

    /** Applies one event; runs inside the inbox transaction, so its writes commit with the event id. */
    @FunctionalInterface
    public interface Handler<T extends PrivacyEvent> {
        void apply(Envelope envelope, T event);
    }

    private final Map<Class<?>, Handler<?>> handlers = new HashMap<>();

    private EventHandlers() {
    }

    public static EventHandlers create() {
        return new EventHandlers();
    }

    public <T extends PrivacyEvent> EventHandlers on(Class<T> eventClass, Handler<T> handler) {
        handlers.put(eventClass, handler);
        return this;
    }

    @SuppressWarnings("unchecked")
    <T extends PrivacyEvent> Handler<T> find(Class<T> eventClass) {
        return (Handler<T>) handlers.get(eventClass);
    }
}
