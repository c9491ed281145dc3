package io.pledge.kit.access;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * Why a person may read a subject's personal data (policy 5.2.3, need to know): the vocabulary a staff member's
 * {@code purpose} must come from. A holder names a purpose of the purpose catalogue (or the one its endpoint serves);
 * a guardian reads for {@link #GUARDIAN_ACCESS}.
 */
public final class AccessPurposes {

    /** Handling a data subject's rights request (access, correction, erasure, withdrawal, cancellation). */
    public static final String RIGHTS_REQUEST = "rights-request";
    /** Answering a support case the subject opened. */
    public static final String SUPPORT_CASE = "support-case";
    /** Investigating a security incident or a personal-data breach. */
    public static final String SECURITY_INVESTIGATION = "security-investigation";
    /** A privacy review, an internal audit or a regulator's inquiry. */
    public static final String COMPLIANCE_REVIEW = "compliance-review";
    /** Establishing, exercising or defending a legal claim, or a lawful order. */
    public static final String LEGAL_CLAIM = "legal-claim";
    /** A subject's data package part read for a rights request by the service that assembles it. */
    public static final String RIGHTS_EXPORT = "rights-export";
    /** A guardian reading their ward's data (policy 7.4.3). */
    public static final String GUARDIAN_ACCESS = "guardian-access";

    /** What a staff member may name, with what each means. */
    public static final Map<String, String> STAFF = Map.of(
            RIGHTS_REQUEST, "handling a data subject's rights request",
            SUPPORT_CASE, "answering a support case the subject opened",
            SECURITY_INVESTIGATION, "investigating a security incident or a personal-data breach",
            COMPLIANCE_REVIEW, "a privacy review, an internal audit or a regulator's inquiry",
            LEGAL_CLAIM, "establishing, exercising or defending a legal claim, or a lawful order");

    /** The form of every purpose id (the purpose catalogue's, and PersonalDataAccessed's {@code purposeId}). */
    public static final Pattern ID = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");

    private AccessPurposes() {
    }

    /** Whether a staff member may read for this purpose. */
    public static boolean staffMay(String purpose) {
        return purpose != null && STAFF.containsKey(purpose);
    }
}
