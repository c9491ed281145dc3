package io.pledge.kit.crypto;

/** A key could not be produced: missing, or its wrapped form fails authentication. Never carries key material. */
public class KeyUnavailableException extends RuntimeException {

    public KeyUnavailableException(String message) {
        super(message);
    }

    public KeyUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
