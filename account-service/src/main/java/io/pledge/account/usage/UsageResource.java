package io.pledge.account.usage;

import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Usage records (policy 2.1.2): the subject's client reports uses; the subject reads their own; an
 * authorised role re-identifies for a purpose (audited); holders read de-identified records.
 */
@Path("/")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class UsageResource {

    private final UsageService service;

    private final io.pledge.kit.http.ClientAddresses addresses;

    public UsageResource(UsageService service, io.pledge.kit.http.ClientAddresses addresses) {
        this.addresses = addresses;
        this.service = service;
    }

    @POST
    @Path("v1/accounts/{id}/usage-records")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "Record one use (device, app, coarse area); stored under a pseudonym, the client address truncated")
    public Response record(@PathParam("id") UUID id, @Valid @NotNull UsageReport r, @Context HttpServerRequest http) {
        return Response.status(201).entity(service.record(id, r, addresses.of(http))).build();
    }

    @GET
    @Path("v1/accounts/{id}/usage-records")
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "The caller's own usage records, newest first")
    public List<UsageService.Usage> own(@PathParam("id") UUID id,
                                        @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return service.own(id, limit);
    }

    @GET
    @Path("internal/v1/usage-records/{subjectId}")
    @RolesAllowed({Roles.SECURITY_OFFICER, Roles.PRIVACY_OFFICER, Roles.SUPPORT_AGENT, Roles.HOLDER})
    @AllowedClients(value = "*", scope = Scopes.USAGE_READ)
    @Operation(summary = "Re-identify a subject's usage records: configured roles and purposes only, audited")
    public UsageService.Reidentified reidentify(@PathParam("subjectId") UUID subjectId,
                                                @QueryParam("purposeId") String purposeId,
                                                @QueryParam("limit") @DefaultValue("100") @Min(1) @Max(1000) int limit) {
        return service.reidentify(subjectId, purposeId, limit);
    }

    @GET
    @Path("internal/v1/usage-records")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "*", scope = Scopes.USAGE_READ)
    @Operation(summary = "De-identified usage records since a time (pseudonym, never the subject), for statistics")
    public List<UsageService.Pseudonymous> pseudonymous(@QueryParam("since") String since,
                                                        @QueryParam("limit") @DefaultValue("1000") @Min(1) @Max(1000) int limit) {
        Instant from;
        try {
            from = Instant.parse(since == null ? "" : since);
        } catch (DateTimeParseException e) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "since must be an ISO-8601 instant in UTC.", "since");
        }
        return service.pseudonymous(from, limit);
    }
}
