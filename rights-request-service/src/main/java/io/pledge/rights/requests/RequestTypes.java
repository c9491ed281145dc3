package io.pledge.rights.requests;

import java.util.Set;

/** Request types: the eight a subject can make (policy 6) and the internal propagations. */
public final class RequestTypes {

    public static final String ACCESS = "ACCESS";
    public static final String COPY = "COPY";
    public static final String CORRECTION = "CORRECTION";
    public static final String DELETION = "DELETION";
    public static final String CONSENT_SCOPE = "CONSENT_SCOPE";
    public static final String CANCELLATION = "CANCELLATION";
    public static final String AUTOMATED_DECISION = "AUTOMATED_DECISION";
    public static final String COMPLAINT = "COMPLAINT";
    /** Internal: a holder leaves the registry (policy 4.1). */
    public static final String OFFBOARDING = "OFFBOARDING";
    /** Internal: measures after a declared incident (policy 5.3). */
    public static final String BREACH_MEASURES = "BREACH_MEASURES";

    /** Types published in RightsRequest* events (their schemas' enum). */
    public static final Set<String> PUBLISHED = Set.of(ACCESS, COPY, CORRECTION, DELETION, CONSENT_SCOPE, CANCELLATION,
            AUTOMATED_DECISION, COMPLAINT);

    /** Types a subject or operator submits through the API (cancellation starts at account-service). */
    public static final Set<String> SUBMITTABLE = Set.of(ACCESS, COPY, CORRECTION, DELETION, CONSENT_SCOPE,
            AUTOMATED_DECISION, COMPLAINT);

    /** Types whose completion issues an erasure certificate. */
    public static final Set<String> ERASURES = Set.of(DELETION, CANCELLATION);

    /** Deletion grounds a subject may give (policy 6.3.1 to 6.3.5). */
    public static final Set<String> SUBJECT_GROUNDS = Set.of("6.3.1", "6.3.2", "6.3.3", "6.3.4", "6.3.5");

    private RequestTypes() {
    }
}
