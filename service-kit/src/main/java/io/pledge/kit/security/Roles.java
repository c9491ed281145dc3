package io.pledge.kit.security;

/** The roles a Pledge token can carry (the JWT {@code groups} claim). */
public final class Roles {
    public static final String SUBJECT = "subject";
    public static final String GUARDIAN = "guardian";
    public static final String PRIVACY_OFFICER = "privacy-officer";
    public static final String SUPPORT_AGENT = "support-agent";
    public static final String SECURITY_OFFICER = "security-officer";
    public static final String HOLDER = "holder";
    /** A staff member who manages staff accounts (creates, disables, resets second factors). */
    public static final String ADMINISTRATOR = "administrator";

    /** The roles of staff members: their tokens carry a staff session ({@code sid}) that every service checks. */
    public static final java.util.Set<String> STAFF = java.util.Set.of(PRIVACY_OFFICER, SECURITY_OFFICER, SUPPORT_AGENT,
            ADMINISTRATOR);

    /** Issuer claim of every token account-service signs. */
    public static final String ISSUER = "https://pledge.local/account-service";

    private Roles() {
    }
}
