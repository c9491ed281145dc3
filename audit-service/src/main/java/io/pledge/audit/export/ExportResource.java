package io.pledge.audit.export;

import io.pledge.audit.merkle.Checkpoint;
import io.pledge.audit.merkle.Checkpoints;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** The regulator export: a signed bundle that {@link VerifyBundle} checks offline. */
@Path("/v1/audit/export")
public class ExportResource {

    private final RegulatorExport export;

    public ExportResource(RegulatorExport export) {
        this.export = export;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER})
    @Operation(summary = "Signed bundle of the entries between two checkpoints (default: from 0 to the latest), "
            + "their checkpoints and keys")
    public Response bundle(@QueryParam("from") String from, @QueryParam("treeSize") String treeSize) {
        Checkpoint end = export.endingAt(number(treeSize, "treeSize"));
        Long start = number(from, "from");
        long first = start == null ? 0 : start;
        Checkpoints.Anchor anchor = export.startingAt(first, end);
        StreamingOutput body = out -> export.write(first, anchor, end, out);
        return Response.ok(body).header("Content-Disposition",
                "attachment; filename=\"audit-bundle-" + first + "-" + end.treeSize() + ".json\"").build();
    }

    private static Long number(String value, String field) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new ProblemException(ProblemType.INVALID_INPUT, field + " must be an integer", field);
        }
    }
}
