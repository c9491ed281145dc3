package io.pledge.account.holder;

import io.pledge.account.invitation.Invitations;
import io.pledge.account.login.Caller;
import io.pledge.account.payment.PaymentService;
import io.pledge.account.usage.UsageService;
import io.pledge.account.profile.ProfileService;
import io.pledge.account.realname.RealNameService;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.AccountView;
import io.pledge.kit.access.AccessPurposes;
import io.pledge.kit.access.AccessRecorder;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Holder endpoints: contact data for a declared purpose, and a subject's export package part. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class HolderResource {

    /**
     * Contact data for up to 1,000 subjects.
     *
     * @param purposeId the purpose the data serves, from the purpose catalogue
     * @param fields    email and/or mobile; both when absent
     */
    public record ContactQuery(@NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9-]{0,63}$") String purposeId,
                               @NotEmpty @Size(max = 1000) List<@NotNull UUID> subjectIds,
                               @Size(max = 2) List<@NotNull @Pattern(regexp = "email|mobile") String> fields) {
    }

    /** The answers, in the order asked (duplicates once). */
    public record Contacts(String purposeId, List<ContactLookup.Contact> results) {
    }

    /** account-service's part of a subject's export (policies 6.1, 6.6). */
    public record Export(UUID requestId, Instant exportedAt, AccountView account, RealNameService.Status realName,
                         PaymentService.Overview payment, List<UsageService.Usage> usage,
                         List<Invitations.View> invitations) {
    }

    private final ContactLookup lookup;
    private final Caller caller;
    private final AccessAudit audit;
    private final ProfileService profiles;
    private final RealNameService realName;
    private final PaymentService payment;
    private final UsageService usage;
    private final Invitations invitations;
    private final AccessRecorder access;

    public HolderResource(ContactLookup lookup, Caller caller, AccessAudit audit, ProfileService profiles,
                          RealNameService realName, PaymentService payment, UsageService usage, Invitations invitations,
                          AccessRecorder access) {
        this.access = access;
        this.lookup = lookup;
        this.caller = caller;
        this.audit = audit;
        this.profiles = profiles;
        this.realName = realName;
        this.payment = payment;
        this.usage = usage;
        this.invitations = invitations;
    }

    @POST
    @Path("internal/v1/contacts")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "${pledge.account.holder.contact-readers}", scope = Scopes.CONTACT_READ)
    @Operation(summary = "Contact data of one or up to 1,000 subjects for a declared purpose (audited)")
    public Contacts contacts(@Valid @NotNull ContactQuery q) {
        return new Contacts(q.purposeId(), lookup.lookup(caller.id(), q.purposeId(), q.subjectIds(), q.fields()));
    }

    @GET
    @Path("v1/accounts/{id}/export")
    @RolesAllowed({Roles.SUBJECT, Roles.HOLDER, Roles.PRIVACY_OFFICER})
    @AllowedClients(value = "rights-request-service", scope = Scopes.ACCOUNT_EXPORT_READ)
    @Transactional
    @Operation(summary = "account-service's part of a subject's data package (the subject, a guardian, or a holder)")
    public Export export(@PathParam("id") UUID id, @QueryParam("requestId") UUID requestId,
                         @QueryParam("purpose") String purpose) {
        Account a;
        if (caller.has(Roles.HOLDER) || caller.has(Roles.PRIVACY_OFFICER)) {
            // an officer names why (policy 5.2.3); rights-request-service reads for the export it assembles
            String why = access.purpose(id, purpose, AccessPurposes.RIGHTS_EXPORT);
            a = Account.findById(id);
            if (a == null || !AccessAudit.validAccessor(caller.id())) {
                throw new ProblemException(ProblemType.NOT_FOUND, "No such account.");
            }
            access.read(id, why, List.of("userName", "email", "mobile", "birthDate", "profile", "payment", "usage"));
        } else {
            Caller.Access access = caller.selfOrWard(id);
            a = access.account();
            if (access.acting() == Caller.Acting.GUARDIAN) {
                audit.record(id, caller.id(), "GUARDIAN",
                        List.of("userName", "email", "mobile", "birthDate", "profile", "payment", "usage"),
                        "guardian-access");
            }
        }
        return new Export(requestId, Instant.now(), AccountView.of(a, profiles.read(id)), realName.status(id),
                payment.overview(id), usage.ofSubject(id, 10_000), invitations.ofInviter(id));
    }
}
