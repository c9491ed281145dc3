package io.pledge.rights.requests;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pledge.kit.access.AccessPurposes;
import io.pledge.kit.access.AccessRecorder;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.rights.certificate.Certificate;
import io.pledge.rights.export.PackageAssembler;
import io.pledge.rights.ledger.LedgerEntry;
import io.quarkus.security.identity.SecurityIdentity;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /v1/requests}: a subject's (or an operator's, from a work order) rights requests. */
@Path("/v1/requests")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class RequestResource {

    /** The verification code the subject received. */
    public record CodeSubmission(@NotBlank @Pattern(regexp = "[0-9A-Za-z]{4,12}") String code) {
    }

    /** A fee quote accepted. */
    public record FeeAcceptance(@NotNull Boolean accept) {
    }

    /** A new due date and why. */
    public record Extension(@NotNull Instant newDueAt, @NotBlank @Pattern(regexp = "[A-Z][A-Z0-9_]{0,63}") String reasonCode) {
    }

    /** A coded refusal. */
    public record Refusal(@NotBlank @Pattern(regexp = "[A-Z][A-Z0-9_]{0,63}") String reasonCode) {
    }

    /** A coded explanation of an automated decision. */
    public record Explanation(@NotBlank @Pattern(regexp = "[A-Z][A-Z0-9_]{0,63}") String explanationCode) {
    }

    /** A coded answer to a complaint. */
    public record Resolution(@NotBlank @Pattern(regexp = "[A-Z][A-Z0-9_]{0,63}") String resolutionCode) {
    }

    /** A certificate as stored: the exact payload signed, its signature and key id. */
    public record CertificateView(UUID certificateId, UUID requestId, String payload, String signature, String keyId,
                                  String algorithm, Instant issuedAt) {
    }

    private final RequestService requests;
    private final PackageAssembler packages;
    private final SecurityIdentity identity;

    private final AccessRecorder access;

    public RequestResource(RequestService requests, PackageAssembler packages, SecurityIdentity identity,
                           AccessRecorder access) {
        this.access = access;
        this.requests = requests;
        this.packages = packages;
        this.identity = identity;
    }

    private Caller caller() {
        return Caller.of(identity);
    }

    @POST
    @RolesAllowed({"subject", "guardian", "privacy-officer", "support-agent"})
    @Operation(summary = "Submit a request; a verification code goes to the subject's verified contact (Idempotency-Key accepted)")
    public Response submit(@Valid @NotNull SubmitRequest in, @HeaderParam("Idempotency-Key") String key) {
        RequestService.Submitted s = requests.submit(caller(), in, key);
        return Response.status(s.verification() == null ? 200 : 201).entity(s).build();
    }

    @GET
    @RolesAllowed({"subject", "guardian", "privacy-officer", "support-agent", "holder"})
    @AllowedClients(value = "rights-request-service", scope = Scopes.RIGHTS_EXPORT_READ)
    @Operation(summary = "A subject's requests (own only), or the export part of rights-request-service for a holder")
    public List<RequestView> list(@NotNull @QueryParam("subjectId") UUID subjectId,
                                  @QueryParam("purpose") String purpose) {
        List<RequestView> found;
        String why;
        if (identity.hasRole("holder")) {
            why = access.purpose(subjectId, purpose, AccessPurposes.RIGHTS_EXPORT);
            found = RequestService.ofSubjectUnchecked(subjectId);
        } else {
            found = requests.ofSubject(caller(), subjectId);
            why = access.purpose(subjectId, purpose, AccessPurposes.RIGHTS_REQUEST);
        }
        access.read(subjectId, why, List.of("rightsRequests"));
        return found;
    }

    @GET
    @Path("{id}")
    @RolesAllowed({"subject", "guardian", "privacy-officer", "support-agent"})
    @Operation(summary = "One request with its due date, status and every expected holder's outcome")
    public RequestView get(@PathParam("id") UUID id, @QueryParam("purpose") String purpose) {
        RequestView v = requests.read(caller(), id);
        access.read(v.subjectId(), access.purpose(v.subjectId(), purpose, AccessPurposes.RIGHTS_REQUEST),
                List.of("rightsRequest"));
        return v;
    }

    @POST
    @Path("{id}/verification")
    @RolesAllowed({"subject", "guardian", "privacy-officer", "support-agent"})
    @Operation(summary = "Give the verification code; the request then proceeds")
    public RequestView verify(@PathParam("id") UUID id, @Valid @NotNull CodeSubmission in) {
        return requests.verify(caller(), id, in.code());
    }

    @POST
    @Path("{id}/fee-acceptance")
    @RolesAllowed({"subject", "guardian", "privacy-officer", "support-agent"})
    @Operation(summary = "Accept the fee quoted for a repeated request")
    public RequestView acceptFee(@PathParam("id") UUID id, @Valid @NotNull FeeAcceptance in) {
        if (!in.accept()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "Only an acceptance can be given; a quote "
                    + "not accepted expires.", "accept");
        }
        return requests.acceptFee(caller(), id);
    }

    @POST
    @Path("{id}/extension")
    @RolesAllowed("privacy-officer")
    @Operation(summary = "Extend the due date with a coded reason; the subject is told both")
    public RequestView extend(@PathParam("id") UUID id, @Valid @NotNull Extension in) {
        return requests.extend(caller(), id, in.newDueAt(), in.reasonCode());
    }

    @POST
    @Path("{id}/refusal")
    @RolesAllowed("privacy-officer")
    @Operation(summary = "Refuse with a coded reason the subject can read")
    public RequestView refuse(@PathParam("id") UUID id, @Valid @NotNull Refusal in) {
        return requests.refuse(caller(), id, in.reasonCode());
    }

    @POST
    @Path("{id}/explanation")
    @RolesAllowed("privacy-officer")
    @Operation(summary = "Record the explanation of an automated decision (policy 6.7)")
    public RequestView explain(@PathParam("id") UUID id, @Valid @NotNull Explanation in) {
        return requests.explain(caller(), id, in.explanationCode());
    }

    @POST
    @Path("{id}/resolution")
    @RolesAllowed("privacy-officer")
    @Operation(summary = "Answer a complaint (policies 6.8, 10.2)")
    public RequestView resolve(@PathParam("id") UUID id, @Valid @NotNull Resolution in) {
        return requests.resolveComplaint(caller(), id, in.resolutionCode());
    }

    @POST
    @Path("{id}/holders/{holderId}/retry")
    @RolesAllowed({"privacy-officer", "support-agent"})
    @Operation(summary = "Send the command again to one failed or silent holder, without restarting the request")
    public RequestView retry(@PathParam("id") UUID id,
                             @PathParam("holderId") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String holderId) {
        return requests.retryHolder(caller(), id, holderId);
    }

    @GET
    @Path("{id}/certificate")
    @RolesAllowed({"subject", "guardian", "privacy-officer", "support-agent"})
    @Operation(summary = "The signed erasure certificate of a completed deletion or cancellation")
    public CertificateView certificate(@PathParam("id") UUID id, @QueryParam("purpose") String purpose) {
        RequestView v = requests.read(caller(), id);
        String why = access.purpose(v.subjectId(), purpose, AccessPurposes.RIGHTS_REQUEST);
        Certificate c = Certificate.find("requestId", id).firstResult();
        if (c == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "This request has no certificate (yet).", "requestId");
        }
        access.read(v.subjectId(), why, List.of("erasureCertificate"));
        return new CertificateView(c.id, c.requestId, c.payload, c.signature, c.keyId, "ES256", c.issuedAt);
    }

    @GET
    @Path("{id}/package")
    @RolesAllowed({"subject", "guardian", "privacy-officer"})
    @Operation(summary = "The assembled export package of a completed access or copy request (JSON with a README)")
    public Response exportPackage(@PathParam("id") UUID id, @QueryParam("purpose") String purpose) {
        RequestView v = requests.read(caller(), id);
        // everything every holder holds on the subject: an officer names why (policy 5.2.3)
        String why = access.purpose(v.subjectId(), purpose, null);
        if (!("ACCESS".equals(v.type()) || "COPY".equals(v.type())) || !RequestStatus.COMPLETED.equals(v.status())) {
            throw new ProblemException(ProblemType.CONFLICT, "No package: the request is not a completed access or copy.",
                    "requestId");
        }
        RightsRequest r = RightsRequest.findById(id);
        ObjectNode pkg = packages.assemble(r, LedgerEntry.ofRequest(id));
        access.read(v.subjectId(), why, List.of("exportPackage"));
        return Response.ok(pkg)
                .header("Content-Disposition", "attachment; filename=\"pledge-export-" + id + ".json\"").build();
    }
}
