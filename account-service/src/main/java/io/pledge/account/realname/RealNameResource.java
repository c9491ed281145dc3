package io.pledge.account.realname;

import io.pledge.account.login.Caller;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Real-name authentication: the subject's requests and status ({@code /v1/accounts/{id}/real-name}),
 * the provider's results and the status other services ask for ({@code /internal/v1/...}, holders).
 */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RealNameResource {

    /** A provider's result. */
    public record Decision(@NotNull @Pattern(regexp = "VERIFIED|FAILED") String result) {
    }

    private final RealNameService service;
    private final Caller caller;

    public RealNameResource(RealNameService service, Caller caller) {
        this.service = service;
        this.caller = caller;
    }

    @POST
    @Path("v1/accounts/{id}/real-name")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "Submit a real-name authentication (no face image is ever accepted)")
    public Response submit(@PathParam("id") UUID id, @Valid @NotNull RealNameRequest r) {
        return Response.status(201).entity(service.submit(id, r)).build();
    }

    @GET
    @Path("v1/accounts/{id}/real-name")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "The caller's real-name status and attempts")
    public RealNameService.Status status(@PathParam("id") UUID id) {
        caller.self(id);
        return service.status(id);
    }

    @POST
    @Path("internal/v1/real-name/{verificationId}/decision")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "*", scope = Scopes.REAL_NAME_DECIDE)
    @Operation(summary = "The verification provider's result (holder client)")
    public RealNameService.Attempt decide(@PathParam("verificationId") UUID verificationId, @Valid @NotNull Decision d) {
        return service.decide(verificationId, "VERIFIED".equals(d.result()));
    }

    @GET
    @Path("internal/v1/real-name/{subjectId}")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "*", scope = Scopes.REAL_NAME_READ)
    @Operation(summary = "A subject's real-name status, for other services")
    public RealNameService.Status statusForHolder(@PathParam("subjectId") UUID subjectId) {
        return service.status(subjectId);
    }

    @GET
    @Path("internal/v1/entitlements/{subjectId}/core-services")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "*", scope = Scopes.REAL_NAME_READ)
    @Operation(summary = "May this subject use core services? 403 problem until real-name authentication passed")
    public RealNameService.Status coreServices(@PathParam("subjectId") UUID subjectId) {
        return service.requireEntitled(subjectId);
    }
}
