package io.pledge.notification.policy;

import io.pledge.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Progress of a material policy version's notices (policy 9.2). */
@Path("/v1/policy-notices/{version}")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class PolicyNoticeResource {

    private final PolicyNotices notices;

    public PolicyNoticeResource(PolicyNotices notices) {
        this.notices = notices;
    }

    @GET
    @RolesAllowed(Roles.PRIVACY_OFFICER)
    @Operation(summary = "The notice campaign of a material policy version and its progress")
    public PolicyNotices.View get(@PathParam("version") @Pattern(regexp = "^[A-Za-z0-9._-]{1,64}$") String version) {
        return notices.view(version);
    }
}
