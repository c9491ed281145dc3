package io.pledge.rights.requests;

import java.util.Set;

/**
 * The lifecycle of a request. Every non-final state has a deadline ({@code state_deadline}) and an owner
 * ({@code state_owner}); the watchdog acts when it passes:
 * <ul>
 *   <li>AWAITING_VERIFICATION (owner SUBJECT; deadline verification window) → EXPIRED, outcome UNVERIFIED</li>
 *   <li>FEE_QUOTED (owner SUBJECT; deadline fee-acceptance window) → EXPIRED, outcome FEE_NOT_ACCEPTED</li>
 *   <li>IN_PROGRESS (owner HOLDERS; each holder's SLA, then the due date) → re-send, remind, escalate</li>
 *   <li>AWAITING_OPERATOR (owner PRIVACY_OFFICER; the due date) → escalated as overdue</li>
 * </ul>
 * Final: COMPLETED, REFUSED, EXPIRED.
 */
public final class RequestStatus {

    public static final String AWAITING_VERIFICATION = "AWAITING_VERIFICATION";
    public static final String FEE_QUOTED = "FEE_QUOTED";
    public static final String IN_PROGRESS = "IN_PROGRESS";
    public static final String AWAITING_OPERATOR = "AWAITING_OPERATOR";
    public static final String COMPLETED = "COMPLETED";
    public static final String REFUSED = "REFUSED";
    public static final String EXPIRED = "EXPIRED";

    public static final String OWNER_SUBJECT = "SUBJECT";
    public static final String OWNER_HOLDERS = "HOLDERS";
    public static final String OWNER_OFFICER = "PRIVACY_OFFICER";

    private static final Set<String> FINAL = Set.of(COMPLETED, REFUSED, EXPIRED);

    private RequestStatus() {
    }

    public static boolean isFinal(String status) {
        return FINAL.contains(status);
    }
}
