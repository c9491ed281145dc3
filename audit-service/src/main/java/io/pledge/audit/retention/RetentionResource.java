package io.pledge.audit.retention;

import io.pledge.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The retention rule of every category and its last run (policy 5.4). */
@Path("/v1/audit/retention")
@Produces(MediaType.APPLICATION_JSON)
public class RetentionResource {

    private final Retention retention;

    public RetentionResource(Retention retention) {
        this.retention = retention;
    }

    @GET
    @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER})
    @Operation(summary = "Every category's body retention period and its last run (when, by schedule or by hand, cutoff, redacted)")
    public List<Retention.Rule> rules() {
        return retention.rules();
    }
}
