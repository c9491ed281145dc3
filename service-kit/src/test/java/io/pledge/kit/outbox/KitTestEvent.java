package io.pledge.kit.outbox;

import io.pledge.events.EventType;
import io.pledge.events.PrivacyEvent;

/** Test-only event on the test topic {@code kit-test.events}: a key, its sequence number, a note. */
public record KitTestEvent(String key, int seq, String note) implements PrivacyEvent {

    public static final String TOPIC = "kit-test.events";
    public static final EventType<KitTestEvent> TYPE = EventType.of("kittest", KitTestEvent.class, TOPIC, 1);

    @Override
    public String subject() {
        return key;
    }
}
