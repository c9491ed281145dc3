package io.pledge.consent.policy;

import io.pledge.consent.ledger.Patterns;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
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
import java.time.Instant;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Privacy-policy versions (policy 9): privacy officers publish; everyone reads every version (9.4). */
@Path("/v1/policy-versions")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    /**
     * A version to publish.
     *
     * @param version         its label
     * @param text            the full text (the service computes its SHA-256)
     * @param summary         what changed
     * @param effectiveAt     when it takes effect; a material change needs the configured notice (9.2)
     * @param material        a material change (9.3)
     * @param changedPurposes purposes whose terms change; consent to them is requested again if material
     */
    public record NewVersion(@NotNull @Pattern(regexp = Patterns.POLICY_VERSION) String version,
                             @NotBlank @Size(max = 200_000) String text,
                             @NotBlank @Size(max = 2000) String summary,
                             @NotNull Instant effectiveAt,
                             @NotNull Boolean material,
                             @NotNull @Size(max = 50) List<@NotNull @Pattern(regexp = Patterns.PURPOSE) String> changedPurposes) {
    }

    /** A version with its text. */
    public record VersionText(String version, String contentSha256, String summary, Instant effectiveAt, boolean material,
                              List<String> changedPurposes, Instant publishedAt, String text) {
    }

    private final PolicyVersions versions;
    private final JsonWebToken caller;

    public PolicyResource(PolicyVersions versions, JsonWebToken caller) {
        this.versions = versions;
        this.caller = caller;
    }

    @GET
    @PermitAll
    @Operation(summary = "Every published version, oldest first")
    public List<PolicyVersion> all() {
        return versions.all();
    }

    @GET
    @Path("/current")
    @PermitAll
    @Operation(summary = "The version in force now")
    public PolicyVersion current() {
        return versions.current();
    }

    @GET
    @Path("/{version}")
    @PermitAll
    @Operation(summary = "One version with its text")
    public VersionText one(@PathParam("version") String version) {
        PolicyVersion v = versions.find(version).orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND,
                "No such policy version."));
        return new VersionText(v.version(), v.contentSha256(), v.summary(), v.effectiveAt(), v.material(),
                v.changedPurposes(), v.publishedAt(), versions.text(version).orElse(null));
    }

    @POST
    @RolesAllowed(Roles.PRIVACY_OFFICER)
    @Operation(summary = "Publish a version; a material one needs the configured notice and requests re-consent")
    public Response publish(@Valid @NotNull NewVersion v) {
        PolicyVersion published = versions.publish(v.version(), v.text(), v.summary(), v.effectiveAt(), v.material(),
                v.changedPurposes(), caller.getSubject());
        return Response.status(201).entity(published).build();
    }
}
