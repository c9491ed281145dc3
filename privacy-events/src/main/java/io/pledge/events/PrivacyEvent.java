package io.pledge.events;

/**
 * One published event. Implemented by one Java record per event type, named in the past tense.
 * Events carry ids and facts, never personal values (no contact data, ID numbers or free text).
 */
public interface PrivacyEvent {

    /**
     * The Kafka record key: the data subject's id, so that all events of one subject are ordered;
     * for replies, the request id.
     */
    String key();

    /** The CloudEvents {@code subject} ({@code ce_subject}): the data subject's id, or null when none. */
    String subject();
}
