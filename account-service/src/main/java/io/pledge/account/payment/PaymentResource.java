package io.pledge.account.payment;

import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Payment profiles (policy 2.1.1(3)): the subject's own, the billing holder's read, and disclosures to processors. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PaymentResource {

    /**
     * A request to give payment data to a recipient.
     *
     * @param recipientId the recipient's client id, e.g. {@code alipay}
     * @param purposeId   why, from the purpose catalogue ({@code billing})
     * @param fields      which fields; all when absent
     */
    public record DisclosureRequest(@NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9._-]{0,63}$") String recipientId,
                                    @NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9-]{0,63}$") String purposeId,
                                    @Size(max = 6) List<@NotNull @Pattern(
                                            regexp = "method|providerToken|accountHolder|invoiceTitle|taxId|billingAddress")
                                            String> fields) {
    }

    private final PaymentService service;

    public PaymentResource(PaymentService service) {
        this.service = service;
    }

    @PUT
    @Path("v1/accounts/{id}/payment-profile")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "Set or replace the caller's payment profile (processor token, invoice details); a field left out is removed")
    public PaymentService.Overview put(@PathParam("id") UUID id, @Valid @NotNull PaymentDetails d) {
        return service.replace(id, d);
    }

    @GET
    @Path("v1/accounts/{id}/payment-profile")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "The caller's payment profile and every disclosure of it asked for, given or refused")
    public PaymentService.Overview get(@PathParam("id") UUID id) {
        return service.own(id);
    }

    @DELETE
    @Path("v1/accounts/{id}/payment-profile")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "Remove the caller's payment profile")
    public Response delete(@PathParam("id") UUID id) {
        service.remove(id);
        return Response.noContent().build();
    }

    @GET
    @Path("internal/v1/payment-profiles/{subjectId}")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "${pledge.account.payment.holders}", scope = Scopes.PAYMENT_READ)
    @Operation(summary = "A subject's payment profile for billing (payment holders only; audited)")
    public PaymentService.HolderRead holderRead(@PathParam("subjectId") UUID subjectId,
                                                @QueryParam("purposeId") String purposeId) {
        return service.holderRead(subjectId, purposeId);
    }

    @POST
    @Path("internal/v1/payment-profiles/{subjectId}/disclosures")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "${pledge.account.payment.holders}", scope = Scopes.PAYMENT_DISCLOSE)
    @Operation(summary = "Give payment data to an affiliated payment processor; any other recipient is refused (403) and recorded")
    public Response disclose(@PathParam("subjectId") UUID subjectId, @Valid @NotNull DisclosureRequest r) {
        return Response.status(201).entity(service.disclose(subjectId, r.recipientId(), r.purposeId(), r.fields()))
                .build();
    }
}
