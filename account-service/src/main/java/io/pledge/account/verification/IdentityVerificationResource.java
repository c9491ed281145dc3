package io.pledge.account.verification;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.ContactValues;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Identity verification before a rights request is processed (policy 6.2, 10.2), for
 * rights-request-service: a code goes to the subject's verified contact (through
 * notification-service, like every code), and the subject's answer is checked here. Only holder
 * clients in {@code pledge.account.identity-verifiers}. The caller learns which channel was used,
 * never the contact value or the code.
 */
@Path("/internal/v1/identity-verifications")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class IdentityVerificationResource {

    /** Start: a code to the subject's verified {@code channel} (mobile first when absent). */
    public record Start(@NotNull UUID subjectId,
                        @Pattern(regexp = "EMAIL|MOBILE") String channel,
                        @Size(max = 64) @Pattern(regexp = "^[A-Za-z0-9:._-]*$") String reference) {
    }

    /** The subject's answer, relayed by the verifier. */
    public record Answer(@NotNull UUID subjectId, @NotBlank @Size(max = 12) String code) {
    }

    public record Verified(UUID subjectId, boolean verified, String channel, Instant verifiedAt) {
    }

    private final JsonWebToken jwt;
    private final AccountConfig config;
    private final Verifications verifications;

    public IdentityVerificationResource(JsonWebToken jwt, AccountConfig config, Verifications verifications) {
        this.jwt = jwt;
        this.config = config;
        this.verifications = verifications;
    }

    @POST
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "${pledge.account.identity-verifiers}", scope = Scopes.IDENTITY_VERIFICATION_WRITE)
    @Transactional
    @Operation(summary = "Send an identity-verification code to the subject's verified contact (rights-request-service only)")
    public Response start(@Valid @NotNull Start start) {
        allowedCaller();
        Account a = Account.findById(start.subjectId());
        if (a == null || Account.CANCELLED.equals(a.status)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No account with that subject id.", "subjectId");
        }
        String channel = start.channel() != null ? start.channel()
                : a.verified(ContactValues.MOBILE) ? ContactValues.MOBILE : ContactValues.EMAIL;
        if (!a.verified(channel)) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "The subject has no verified contact on that channel to send a code to.", "channel");
        }
        String lookup = ContactValues.EMAIL.equals(channel) ? a.emailLookup : a.mobileLookup;
        Verifications.Issued issued = verifications.issue(a, VerificationCode.IDENTITY, channel, lookup, null, null);
        // the request it verifies: a correction's new values are staged against it (policy 6.2)
        VerificationCode.<VerificationCode>findById(issued.verificationId()).reference = start.reference();
        return Response.accepted(issued).build();
    }

    @POST
    @Path("/{verificationId}/confirmation")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "${pledge.account.identity-verifiers}", scope = Scopes.IDENTITY_VERIFICATION_WRITE)
    @Transactional(dontRollbackOn = Verifications.WrongCode.class)
    @Operation(summary = "Check the subject's identity-verification code (rights-request-service only)")
    public Verified confirm(@PathParam("verificationId") UUID verificationId, @Valid @NotNull Answer answer) {
        allowedCaller();
        VerificationCode pending = VerificationCode.findById(verificationId);
        if (pending == null || !pending.subjectId.equals(answer.subjectId())) {
            throw new Verifications.WrongCode();
        }
        VerificationCode v = verifications.consume(verificationId, VerificationCode.IDENTITY, answer.code());
        return new Verified(v.subjectId, true, v.channel, v.consumedAt);
    }

    private void allowedCaller() {
        if (!config.identityVerifiers().contains(jwt.getSubject())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "This client may not verify identities.");
        }
    }
}
