package io.pledge.kit.events;

/**
 * A record that can never be applied, however often it is retried: unparseable, of an unknown
 * type, invalid against its schema, or refused by the consumer's own rules. It goes to the topic's
 * dead-letter topic with this message as its reason, and the consumer goes on. The message must
 * name what is wrong without quoting values (they may be personal data).
 */
public class PoisonRecordException extends RuntimeException {

    public PoisonRecordException(String reason) {
        super(reason, null, false, false);
    }
}
