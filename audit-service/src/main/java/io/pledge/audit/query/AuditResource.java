package io.pledge.audit.query;

import io.pledge.audit.config.AuditConfig;
import io.pledge.kit.access.AccessPurposes;
import io.pledge.kit.access.AccessRecorder;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/** Queries over the audit ledger: a subject's own history (policy 6.1), operators' searches and the access log (5.2.3). */
@Path("/v1/audit")
@Produces(MediaType.APPLICATION_JSON)
public class AuditResource {

    private final AuditQueries queries;
    private final AuditConfig config;
    private final JsonWebToken token;
    private final AccessRecorder access;

    public AuditResource(AuditQueries queries, AuditConfig config, JsonWebToken token, AccessRecorder access) {
        this.access = access;
        this.queries = queries;
        this.config = config;
        this.token = token;
    }

    @GET
    @Path("/subjects/{subjectId}/entries")
    @RolesAllowed({Roles.SUBJECT, Roles.PRIVACY_OFFICER, Roles.HOLDER})
    @AllowedClients(value = "${pledge.audit.export-readers}", scope = Scopes.AUDIT_HISTORY_READ)
    @Operation(summary = "A subject's own history: what was done with their data, by whom, when (policy 6.1); "
            + "also rights-request-service assembling the subject's export package")
    @APIResponse(responseCode = "400", description = "a bad parameter (problem+json, field names it)")
    @APIResponse(responseCode = "403", description = "another subject's history")
    public Page<EntryView> history(@PathParam("subjectId") String subjectId, @QueryParam("from") String from,
                                   @QueryParam("to") String to, @QueryParam("type") String type,
                                   @QueryParam("holder") String holder, @QueryParam("page") String page,
                                   @QueryParam("size") String size, @QueryParam("purpose") String purpose) {
        AuditQuery q = AuditQuery.parse(subjectId, from, to, type, holder, page, size, config.maxPageSize());
        authorizeHistory(q.subjectId());
        // an officer names why (policy 5.2.3); rights-request-service reads for the export it assembles
        String why = access.purpose(q.subjectId(), purpose, AccessPurposes.RIGHTS_EXPORT);
        Page<EntryView> entries = queries.entries(q);
        access.read(q.subjectId(), why, List.of("auditHistory"));
        return entries;
    }

    @GET
    @Path("/subjects/{subjectId}/export")
    @RolesAllowed({Roles.SUBJECT, Roles.PRIVACY_OFFICER, Roles.HOLDER})
    @AllowedClients(value = "${pledge.audit.export-readers}", scope = Scopes.AUDIT_HISTORY_READ)
    @Operation(summary = "Every entry of a subject's history, unpaged and streamed (policy 6.1): audit-service's part "
            + "of the subject's export package ({subjectId, exportedAt, entries, count})")
    @APIResponse(responseCode = "400", description = "not a subject id (problem+json)")
    @APIResponse(responseCode = "403", description = "another subject's history")
    public Response export(@PathParam("subjectId") String subjectId, @QueryParam("purpose") String purpose) {
        UUID subject = AuditQuery.uuid(subjectId, "subjectId");
        authorizeHistory(subject);
        // the read is recorded before the entries stream (policy 5.2.3): a read whose record fails is not served. The
        // record reaches the subject's history later, through Kafka: this export does not hold it, the next one does.
        String why = access.purpose(subject, purpose, AccessPurposes.RIGHTS_EXPORT);
        access.read(subject, why, List.of("auditHistory"));
        StreamingOutput body = out -> queries.writeSubjectExport(subject, out);
        return Response.ok(body, MediaType.APPLICATION_JSON).build();
    }

    /** A subject reads its own history, a privacy officer any, and only the configured export readers among holders. */
    private void authorizeHistory(UUID subjectId) {
        boolean exporter = token.getGroups().contains(Roles.HOLDER) && config.exportReaders().contains(token.getSubject());
        if (token.getGroups().contains(Roles.HOLDER) && !exporter) {
            throw new ProblemException(ProblemType.FORBIDDEN, "this holder client may not read subjects' histories");
        }
        if (!exporter && !token.getGroups().contains(Roles.PRIVACY_OFFICER)
                && !subjectId.toString().equals(token.getSubject())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "a subject may read only their own history");
        }
    }

    @GET
    @Path("/entries")
    @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER})
    @Operation(summary = "Operators: entries by subject, time range, event type and holder")
    @APIResponse(responseCode = "400", description = "a bad parameter (problem+json, field names it)")
    public Page<EntryView> entries(@QueryParam("subjectId") String subjectId, @QueryParam("from") String from,
                                   @QueryParam("to") String to, @QueryParam("type") String type,
                                   @QueryParam("holder") String holder, @QueryParam("page") String page,
                                   @QueryParam("size") String size, @QueryParam("purpose") String purpose) {
        AuditQuery q = AuditQuery.parse(subjectId, from, to, type, holder, page, size, config.maxPageSize());
        if (q.subjectId() == null) {
            return queries.entries(q);
        }
        // one subject's history is a read of their data (policy 5.2.3): the operator names why
        String why = access.purpose(q.subjectId(), purpose, null);
        Page<EntryView> entries = queries.entries(q);
        access.read(q.subjectId(), why, List.of("auditHistory"));
        return entries;
    }

    @GET
    @Path("/personal-data-access")
    @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER})
    @Operation(summary = "Operators: who read whose personal data, which fields, when and for which purpose (policy 5.2.3)")
    @APIResponse(responseCode = "400", description = "a bad parameter (problem+json, field names it)")
    public Page<AccessView> personalDataAccess(@QueryParam("subjectId") String subjectId,
                                               @QueryParam("accessor") String accessor, @QueryParam("from") String from,
                                               @QueryParam("to") String to, @QueryParam("page") String page,
                                               @QueryParam("size") String size) {
        return queries.personalDataAccess(AuditQuery.parse(subjectId, from, to, null, accessor, page, size,
                config.maxPageSize()));
    }
}
