package io.pledge.notification.delivery;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Notice kinds and channels, their send order, and the purpose under which contact data is read for each. */
public final class Kinds {

    public static final String VERIFICATION_CODE = "VERIFICATION_CODE";
    public static final String SERVICE = "SERVICE";
    public static final String MARKETING = "MARKETING";
    public static final String BREACH = "BREACH";
    public static final String POLICY_CHANGE = "POLICY_CHANGE";
    public static final String CESSATION = "CESSATION";
    /** consent-service asks the subject for consent (a new purpose, 2.3; a material policy version, 9.2). */
    public static final String CONSENT_REQUEST = "CONSENT_REQUEST";

    public static final List<String> CHANNELS = List.of("EMAIL", "SMS", "PUSH", "PHONE", "LETTER");

    /** consent-service's purpose for open pixels and click tracking (policy 3.2). */
    public static final String TRACKING_PURPOSE = "email-tracking";

    /** Marketing purposes of consent-service's catalogue (policy 2.2.3). */
    public static final Set<String> MARKETING_PURPOSES = Set.of("marketing-email", "marketing-phone");

    private static final Map<String, Integer> PRIORITY = Map.of(VERIFICATION_CODE, 0, SERVICE, 1, BREACH, 2,
            CESSATION, 3, POLICY_CHANGE, 3, CONSENT_REQUEST, 3, MARKETING, 5);

    private Kinds() {
    }

    public static int priority(String kind) {
        return PRIORITY.getOrDefault(kind, 4);
    }

    /**
     * The purpose declared to account-service when reading contact data (and, for marketing, checked with
     * consent-service); null when the kind may not use the channel (marketing by push or letter).
     */
    public static String purpose(String kind, String channel) {
        return switch (kind) {
            case BREACH -> "account-security";
            case VERIFICATION_CODE -> "verification-code";
            case MARKETING -> switch (channel) {
                case "EMAIL" -> "marketing-email";
                case "SMS", "PHONE" -> "marketing-phone";
                default -> null;
            };
            default -> "service-notice";
        };
    }
}
