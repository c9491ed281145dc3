package io.pledge.account.verification;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.holder.AccessAudit;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.ContactValues;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
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
 */
@Path("/internal/v1/notices/{noticeId}/secret")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class NoticeSecretResource {

    /** The secret part of a verification notice. */
    public record NoticeSecret(UUID noticeId, UUID subjectId, String channel, String address, String code,
                               Instant expiresAt) {
    }

    private final JsonWebToken jwt;
    private final AccountConfig config;
    private final AccessAudit audit;

    public NoticeSecretResource(JsonWebToken jwt, AccountConfig config, AccessAudit audit) {
        this.jwt = jwt;
        this.config = config;
        this.audit = audit;
    }

    @GET
    @RolesAllowed(Roles.HOLDER)
    @Transactional
    @Operation(summary = "Code and address of a verification notice, for its delivery (notification-service only)")
    public NoticeSecret secret(@PathParam("noticeId") UUID noticeId) {
        String client = jwt.getSubject();
        if (!config.codes().secretReaders().contains(client)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This client may not read verification secrets.");
        }
        VerificationCode v = VerificationCode.findById(noticeId);
        if (v == null || !v.usable(Instant.now()) || v.code.isErased()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No deliverable notice with that id.");
        }
        Account a = Account.findById(v.subjectId);
        String field = ContactValues.EMAIL.equals(v.channel) ? "email" : "mobile";
        String address = v.pendingValue != null ? v.pendingValue.value()
                : ContactValues.EMAIL.equals(v.channel) ? a.email.value() : a.mobile.value();
        v.fetchedAt = Instant.now();
        audit.record(v.subjectId, client, "HOLDER", List.of(field, "verificationCode"), "verification-code");
        return new NoticeSecret(v.id, v.subjectId, v.channel, address, v.code.value(), v.expiresAt);
    }
}
