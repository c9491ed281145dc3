package io.pledge.account.cancellation;

import io.pledge.account.login.Caller;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
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

/** Cancellation (policy 6.5): the subject's request, and holds placed and lifted by holders. */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CancellationResource {

    /** A hold to place. */
    public record HoldRequest(@NotNull @Pattern(regexp = "RESOURCES|UNPAID_FEES|DISPUTE") String kind) {
    }

    private final CancellationService service;
    private final Caller caller;

    public CancellationResource(CancellationService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("v1/accounts/{id}/cancellation")
    @Consumes(MediaType.WILDCARD) // no body
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "Cancel the account for good; refused naming each active hold (Idempotency-Key accepted)")
    public Response cancel(@PathParam("id") UUID id, @HeaderParam("Idempotency-Key") String key) {
        return Response.status(201).entity(service.cancel(id, key)).build();
    }

    @GET
    @Path("v1/accounts/{id}/holds")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "The caller's active holds")
    public List<CancellationService.Hold> myHolds(@PathParam("id") UUID id) {
        caller.self(id);
        return service.active(id);
    }

    @POST
    @Path("internal/v1/accounts/{id}/holds")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "*", scope = Scopes.HOLD_WRITE)
    @Operation(summary = "Place a hold (RESOURCES, UNPAID_FEES, DISPUTE) that blocks cancellation (Idempotency-Key accepted)")
    public Response place(@PathParam("id") UUID id, @Valid @NotNull HoldRequest r,
                          @HeaderParam("Idempotency-Key") String key) {
        return Response.status(201).entity(service.place(id, r.kind(), caller.id(), key)).build();
    }

    @DELETE
    @Path("internal/v1/accounts/{id}/holds/{holdId}")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "*", scope = Scopes.HOLD_WRITE)
    @Operation(summary = "Lift a hold this holder placed")
    public CancellationService.Hold lift(@PathParam("id") UUID id, @PathParam("holdId") UUID holdId) {
        return service.lift(id, holdId, caller.id());
    }
}
