package io.pledge.kit.access;

import io.pledge.events.TopicCatalogue;
import io.pledge.events.account.PersonalDataAccessed;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The one way a service records a read of personal data (policy 5.2.3): who read (the authenticated caller: a staff
 * member's id, a holder's client id, a Pledge service's name, a guardian's subject id), whose data and which fields or
 * categories (never values), and why (a purpose). It publishes {@code PersonalDataAccessed} through the
 * {@link Outbox}, in the read's transaction when there is one, else in its own, which commits before the endpoint
 * returns: a read whose record cannot be stored fails, so no read is served unrecorded.
 *
 * <p>Call it after the service has authorised the caller and read the data, before returning it. A staff member must
 * name a purpose of {@link AccessPurposes#STAFF} (else 400 {@code invalid-input} on {@code purpose}); a holder or a
 * service names one of the purpose catalogue, or is given the endpoint's own (an export part is read for
 * {@link AccessPurposes#RIGHTS_EXPORT}); a guardian reads for {@link AccessPurposes#GUARDIAN_ACCESS}. A subject
 * reading their own data is no one else's read: nothing is recorded (their own requests are in their history
 * already); nor for data that names no subject yet.
 */
@ApplicationScoped
public class AccessRecorder {

    /** A token subject that can be named as an accessor: client ids and UUIDs, never an email address. */
    private static final Pattern ACCESSOR = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:-]{0,99}$");
    private static final Set<String> SERVICES = Set.copyOf(TopicCatalogue.SERVICES);

    /** Who reads, in which role ({@code PersonalDataAccessed.accessorRole}). */
    public record Accessor(String id, String role) {
        /** Whether the reader is a staff member (privacy, security or support). */
        public boolean staff() {
            return role.equals("PRIVACY_OFFICER") || role.equals("SECURITY_OFFICER") || role.equals("SUPPORT_AGENT");
        }
    }

    private final Outbox outbox;
    private final JsonWebToken caller;

    public AccessRecorder(Outbox outbox, JsonWebToken caller) {
        this.outbox = outbox;
        this.caller = caller;
    }

    /** Whether a token subject can be named as an accessor (client ids and UUIDs, never an email). */
    public static boolean validAccessor(String accessorId) {
        return accessorId != null && ACCESSOR.matcher(accessorId).matches();
    }

    /**
     * Who the authenticated caller reads {@code subject}'s data as, or null when it is the subject themself. Staff
     * roles come first (a staff token never reads as a subject), then a client (holder or service), then a guardian.
     */
    public Accessor accessor(UUID subject) {
        String sub = caller == null ? null : caller.getSubject();
        Set<String> groups = caller == null || caller.getGroups() == null ? Set.of() : caller.getGroups();
        if (sub == null || !validAccessor(sub)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "The caller cannot be named as a reader.");
        }
        if (groups.contains(Roles.PRIVACY_OFFICER)) {
            return new Accessor(sub, "PRIVACY_OFFICER");
        }
        if (groups.contains(Roles.SECURITY_OFFICER)) {
            return new Accessor(sub, "SECURITY_OFFICER");
        }
        if (groups.contains(Roles.SUPPORT_AGENT)) {
            return new Accessor(sub, "SUPPORT_AGENT");
        }
        if (groups.contains(Roles.HOLDER)) {
            return new Accessor(sub, SERVICES.contains(sub) ? "SERVICE" : "HOLDER");
        }
        if (sub.equalsIgnoreCase(subject.toString())) {
            return null;
        }
        return new Accessor(sub, "GUARDIAN");
    }

    /**
     * The purpose the caller reads for: checked before anything is read, so a refused read reads nothing.
     *
     * @param requested       the purpose the request named ({@code purpose} query parameter), or null
     * @param endpointPurpose the one purpose the endpoint serves when the request names none (for a staff member it
     *                        must be one of {@link AccessPurposes#STAFF}, e.g. rights-request-service's own endpoints
     *                        serve {@link AccessPurposes#RIGHTS_REQUEST}; for a holder or a service any purpose id,
     *                        e.g. {@link AccessPurposes#RIGHTS_EXPORT} for an export part), or null when the request
     *                        must name one
     * @return the purpose, or null when the caller is the subject themself
     */
    public String purpose(UUID subject, String requested, String endpointPurpose) {
        if (subject == null) {
            return null; // nothing names whose data it is (e.g. a request not yet tied to an account)
        }
        Accessor who = accessor(subject);
        if (who == null) {
            return null;
        }
        if (who.role().equals("GUARDIAN")) {
            return AccessPurposes.GUARDIAN_ACCESS;
        }
        String p = requested == null || requested.isBlank() ? endpointPurpose : requested.trim();
        if (who.staff()) {
            if (!AccessPurposes.staffMay(p)) {
                throw new ProblemException(ProblemType.INVALID_INPUT, "A staff member reading a subject's data must "
                        + "name why: purpose is one of " + String.join(", ", AccessPurposes.STAFF.keySet().stream()
                        .sorted().toList()) + ".", "purpose");
            }
            return p;
        }
        if (p == null || !AccessPurposes.ID.matcher(p).matches()) {
            throw new ProblemException(ProblemType.INVALID_INPUT,
                    "A holder reading a subject's data must name the purpose it serves (a purpose id).", "purpose");
        }
        return p;
    }

    /**
     * Records the caller's read of {@code subject}'s data (nothing when it is the subject themself), with the purpose
     * {@link #purpose} accepted.
     *
     * @param fields the fields or categories read, e.g. {@code consentRecords}; never values
     */
    @Transactional(Transactional.TxType.REQUIRED)
    public void read(UUID subject, String purpose, List<String> fields) {
        if (subject == null) {
            return;
        }
        Accessor who = accessor(subject);
        if (who == null) {
            return;
        }
        if (purpose == null) {
            throw new IllegalStateException("a read by " + who.role() + " needs a purpose; call purpose() first");
        }
        record(subject, who.id(), who.role(), fields, purpose);
    }

    /** Records a read by an accessor the caller named itself (a holder id from a lookup, a role it checked). */
    @Transactional(Transactional.TxType.REQUIRED)
    public void record(UUID subject, String accessorId, String accessorRole, List<String> fields, String purposeId) {
        outbox.publish(new PersonalDataAccessed(subject, accessorId, accessorRole, List.copyOf(fields), purposeId,
                Instant.now()));
    }
}
