package io.pledge.consent.ledger;

/** The shapes of ids, as the published event schemas define them. */
public final class Patterns {
    public static final String PURPOSE = "^[a-z0-9][a-z0-9-]{0,63}$";
    public static final String RECIPIENT = "^[a-z0-9][a-z0-9.-]{0,99}$";
    public static final String REGION = "^[A-Z]{2}(-[A-Z0-9]{1,3})?$";
    public static final String POLICY_VERSION = "^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$";

    private Patterns() {
    }
}
