package io.pledge.account.minors;

import io.pledge.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code /v1/accounts/{wardId}/guardian}: an adult links as a child's guardian and consents; and
 * deletes the ward's account. Reading and correcting a ward's data use the account endpoints.
 */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class GuardianResource {

    /** The child's link code and the guardian's consent. */
    public record LinkRequest(@NotBlank @Size(max = 20) String linkCode, @NotNull Boolean consent) {
    }

    private final GuardianService guardians;

    public GuardianResource(GuardianService guardians) {
        this.guardians = guardians;
    }

    @POST
    @Path("v1/accounts/{wardId}/guardian")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "Link as the child's guardian and consent (policy 7)")
    public Response link(@PathParam("wardId") UUID wardId, @Valid @NotNull LinkRequest r) {
        return Response.status(201).entity(guardians.link(wardId, r.linkCode(), r.consent())).build();
    }

    @DELETE
    @Path("v1/accounts/{wardId}")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "The guardian deletes the ward's account and data")
    public Response delete(@PathParam("wardId") UUID wardId) {
        guardians.deleteWard(wardId);
        return Response.noContent().build();
    }
}
