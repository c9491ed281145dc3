package io.pledge.account.client;

import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
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
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * {@code /internal/v1/holder-clients}: registered holders' OAuth clients, managed by rights-request-service's holder
 * registry only (its own client token with {@code holder-client:write}). Secrets are in the answers of issue and
 * rotation only.
 */
@Path("/internal/v1/holder-clients")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.HOLDER)
@AllowedClients(value = "rights-request-service", scope = Scopes.HOLDER_CLIENT_WRITE)
public class HolderClientResource {

    private static final String CLIENT_ID = "holder-[a-z0-9][a-z0-9.-]{0,92}";

    /** A holder's client to issue a credential to, with the scopes the registry granted it. */
    public record NewClient(@NotNull @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,92}") String holderId,
                            @NotEmpty @Size(max = 20) Set<@NotNull @Size(max = 64) String> scopes) {
    }

    private final HolderClients clients;

    public HolderClientResource(HolderClients clients) {
        this.clients = clients;
    }

    @POST
    @Operation(summary = "Issue a registered holder's OAuth client a credential (client id holder-<holderId>; the secret "
            + "is in this answer only; again: a new secret, the earlier one refused)")
    @APIResponse(responseCode = "201", description = "the client id, secret, credential id and scopes")
    @APIResponse(responseCode = "400", description = "problem+json: not a holder id, or a scope a holder may not hold")
    public Response issue(@Valid @NotNull NewClient in) {
        return Response.status(201).entity(clients.issue(in.holderId(), in.scopes())).build();
    }

    @GET
    @Path("{clientId}")
    @Operation(summary = "A holder client's status, scopes and current credential id (never its secret)")
    public HolderClients.View get(@PathParam("clientId") @Pattern(regexp = CLIENT_ID) String clientId) {
        return clients.get(clientId);
    }

    @POST
    @Path("{clientId}/rotation")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "A new secret and credential id: the old secret and every token issued with it are refused now")
    @APIResponse(responseCode = "409", description = "problem+json: the client is revoked")
    public HolderClients.Issued rotate(@PathParam("clientId") @Pattern(regexp = CLIENT_ID) String clientId) {
        return clients.rotate(clientId);
    }

    @POST
    @Path("{clientId}/revocation")
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Revoke: the secret and every token issued with it are refused from now on (idempotent)")
    @APIResponse(responseCode = "404", description = "problem+json: no such client")
    public HolderClients.View revoke(@PathParam("clientId") @Pattern(regexp = CLIENT_ID) String clientId) {
        return clients.revoke(clientId);
    }
}
