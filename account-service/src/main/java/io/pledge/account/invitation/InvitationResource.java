package io.pledge.account.invitation;

import io.pledge.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /v1/accounts/{id}/invitations}: the caller invites friends by email (policy 2.2.1). */
@Path("/v1/accounts/{id}/invitations")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class InvitationResource {

    /** The friend's email address: used to send this invitation, then erased. */
    public record InvitationRequest(@NotBlank @Size(max = 320) String email) {
    }

    private final Invitations invitations;

    public InvitationResource(Invitations invitations) {
        this.invitations = invitations;
    }

    @POST
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "Invite a friend by email; the address is used for this invitation only and erased once sent (Idempotency-Key accepted)")
    public Response invite(@PathParam("id") UUID id, @Valid @NotNull InvitationRequest r,
                           @HeaderParam("Idempotency-Key") String key) {
        return Response.status(201).entity(invitations.invite(id, r.email(), key)).build();
    }

    @GET
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "The caller's invitations and their status (never the addresses)")
    public List<Invitations.View> list(@PathParam("id") UUID id) {
        return invitations.list(id);
    }

    @DELETE
    @Path("{invitationId}")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "Withdraw an unsent invitation; its address is erased at once")
    public Invitations.View withdraw(@PathParam("id") UUID id, @PathParam("invitationId") UUID invitationId) {
        return invitations.withdraw(id, invitationId);
    }
}
