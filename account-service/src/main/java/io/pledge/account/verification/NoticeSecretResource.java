package io.pledge.account.verification;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.holder.AccessAudit;
import io.pledge.account.invitation.Invitations;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.ContactChangeNotice;
import io.pledge.account.registration.ContactValues;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /internal/v1/notices/{noticeId}/secret}: what notification-service needs to deliver a
 * verification code — the code and the address — fetched at send time over an authenticated call,
 * so neither ever travels through Kafka. Only holder clients named in
 * {@code pledge.account.codes.secret-readers}; only while the code is usable; every read audited.
 * The same call delivers a friend invitation ({@code templateId=friend-invitation}): the invitee's
 * address, answered once and erased by that answer (policy 2.2.1); and the notice that an email or mobile
 * changed ({@code templateId=contact-changed}): the old address, while the notice is due.
 */
@Path("/internal/v1/notices/{noticeId}/secret")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class NoticeSecretResource {

    /**
     * The secret part of a notice: for a verification code the code and the subject's address; for a
     * friend invitation the invitee's address (no code), which only this one answer ever carries. {@code locale} is
     * the language to write it in: the subject's own for a code, the inviter's for an invitation.
     */
    public record NoticeSecret(UUID noticeId, UUID subjectId, String channel, String address, String code,
                               Instant expiresAt, String templateId, String locale) {
        @Override
        public String toString() {
            return "NoticeSecret[" + noticeId + "]";
        }
    }

    private final JsonWebToken jwt;
    private final AccountConfig config;
    private final AccessAudit audit;
    private final Invitations invitations;

    public NoticeSecretResource(JsonWebToken jwt, AccountConfig config, AccessAudit audit, Invitations invitations) {
        this.jwt = jwt;
        this.config = config;
        this.audit = audit;
        this.invitations = invitations;
    }

    @GET
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "${pledge.account.codes.secret-readers}", scope = Scopes.NOTICE_SECRET_READ)
    @Transactional
    @Operation(summary = "Code and address of a verification notice, or the address of a friend invitation (once), for delivery (secret-readers only)")
    public NoticeSecret secret(@PathParam("noticeId") UUID noticeId) {
        String client = jwt.getSubject();
        if (!config.codes().secretReaders().contains(client)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This client may not read verification secrets.");
        }
        VerificationCode v = VerificationCode.findById(noticeId);
        if (v == null) {
            ContactChangeNotice n = ContactChangeNotice.findById(noticeId);
            if (n != null) {
                return contactChanged(n, client);
            }
            Invitations.Delivery d = invitations.deliver(noticeId, client).orElseThrow(
                    () -> new ProblemException(ProblemType.NOT_FOUND, "No deliverable notice with that id."));
            Account inviter = Account.findById(d.inviterId());
            return new NoticeSecret(d.invitationId(), d.inviterId(), "EMAIL", d.address(), null, d.expiresAt(),
                    Invitations.TEMPLATE, inviter == null ? null : inviter.locale);
        }
        if (!v.usable(Instant.now()) || v.code.isErased()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No deliverable notice with that id.");
        }
        Account a = Account.findById(v.subjectId);
        String field = ContactValues.EMAIL.equals(v.channel) ? "email" : "mobile";
        String address = v.pendingValue != null ? v.pendingValue.value()
                : ContactValues.EMAIL.equals(v.channel) ? a.email.value() : a.mobile.value();
        v.fetchedAt = Instant.now();
        audit.record(v.subjectId, client, "HOLDER", List.of(field, "verificationCode"), "verification-code");
        return new NoticeSecret(v.id, v.subjectId, v.channel, address, v.code.value(), v.expiresAt, "verification-code",
                a.locale);
    }

    /** The address an email or mobile was changed from, for the notice that tells it so (until it expires; audited). */
    private NoticeSecret contactChanged(ContactChangeNotice n, String client) {
        if (!n.deliverable(Instant.now())) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No deliverable notice with that id.");
        }
        Account a = Account.findById(n.subjectId);
        n.fetchedAt = Instant.now();
        audit.record(n.subjectId, client, "HOLDER", List.of(ContactValues.EMAIL.equals(n.channel) ? "email" : "mobile"),
                "service-notice");
        return new NoticeSecret(n.id, n.subjectId, n.channel, n.oldValue.value(), null, n.expiresAt,
                ContactChangeNotice.TEMPLATE, a == null ? null : a.locale);
    }
}
