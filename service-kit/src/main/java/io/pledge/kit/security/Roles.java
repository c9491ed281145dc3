package io.pledge.kit.security;

/** The roles a Pledge token can carry (the JWT {@code groups} claim). */
public final class Roles {
    public static final String SUBJECT = "subject";
    public static final String GUARDIAN = "guardian";
    public static final String PRIVACY_OFFICER = "privacy-officer";
    public static final String SUPPORT_AGENT = "support-agent";
    public static final String SECURITY_OFFICER = "security-officer";
    public static final String HOLDER = "holder";

    /** Issuer claim of every token account-service signs. */
    public static final String ISSUER = "https://pledge.local/account-service";

    private Roles() {
    }
}
