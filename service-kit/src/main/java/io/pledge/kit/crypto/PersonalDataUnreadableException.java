package io.pledge.kit.crypto;

/**
 * A sealed personal value fails authentication: altered, truncated, or moved from another subject's
 * row or another field. Names the subject id and field, never the value.
 */
public class PersonalDataUnreadableException extends RuntimeException {

    public PersonalDataUnreadableException(String message) {
        super(message);
    }
}
