package io.pledge.notification.contact;

/** Another service could not answer now; the delivery is retried later. The message names no personal data. */
public class Unavailable extends RuntimeException {

    private final String code;

    public Unavailable(String code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** Reason code recorded on the delivery, e.g. {@code ACCOUNT_UNAVAILABLE}. */
    public String code() {
        return code;
    }
}
