package io.pledge.account.correction;

import io.pledge.kit.http.ClientAddresses;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code /v1/accounts/{id}/corrections/{requestId}}: the new values of a correction request (policy 6.2), given here
 * at their source before the request is verified at rights-request-service; they apply when it is.
 */
@Path("/v1/accounts/{id}/corrections/{requestId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class CorrectionResource {

    /** The corrected value of one field. */
    public record NewValue(@NotBlank @Size(max = 320) String value) {
        @Override
        public String toString() {
            return "NewValue[]";
        }
    }

    private final CorrectionService corrections;
    private final ClientAddresses addresses;

    public CorrectionResource(CorrectionService corrections, ClientAddresses addresses) {
        this.corrections = corrections;
        this.addresses = addresses;
    }

    @PUT
    @Path("/{field}")
    @RolesAllowed("subject")
    @Operation(summary = "Stage the corrected value of one field for an open correction request (before verifying it);"
            + " a new email or mobile gets a code (confirm with purpose CORRECTION): 202, else 200")
    public Response stage(@PathParam("id") UUID id, @PathParam("requestId") UUID requestId,
                          @PathParam("field") @Pattern(regexp = "[A-Za-z]{1,16}") String field,
                          @Valid @NotNull NewValue v, @Context HttpServerRequest http) {
        CorrectionService.Staged s = corrections.stage(id, requestId, field, v.value(), addresses.of(http));
        return Response.status(s.verification() != null ? 202 : 200).entity(s).build();
    }

    @GET
    @RolesAllowed("subject")
    @Operation(summary = "The fields staged for a correction request and their state (no values)")
    public List<CorrectionService.Staged> staged(@PathParam("id") UUID id, @PathParam("requestId") UUID requestId) {
        return corrections.staged(id, requestId);
    }
}
