package io.pledge.rights.registry;

import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Every registered holder's region (policy 5.4): consent-service checks a transfer against the region a recipient is
 * registered in here, never against a region a caller states. Ids, kinds, regions and statuses only.
 */
@Path("/internal/v1/holder-regions")
@Produces(MediaType.APPLICATION_JSON)
public class HolderRegionResource {

    /** One holder's registered region. */
    public record HolderRegion(String holderId, String kind, String region, String status) {
    }

    private final Registry registry;

    public HolderRegionResource(Registry registry) {
        this.registry = registry;
    }

    @GET
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "consent-service", scope = Scopes.HOLDER_REGION_READ)
    @Operation(summary = "Every registered holder's region, for consent-service's cross-border check (5.4)")
    public List<HolderRegion> all() {
        return registry.regions();
    }
}
