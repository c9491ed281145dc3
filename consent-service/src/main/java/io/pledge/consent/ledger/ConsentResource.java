package io.pledge.consent.ledger;

import io.pledge.consent.ledger.ConsentLedger.Evidence;
import io.pledge.consent.ledger.Subjects.Actor;
import io.pledge.consent.receipt.Receipts;
import io.pledge.kit.access.AccessPurposes;
import io.pledge.kit.access.AccessRecorder;
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
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * A subject's consents: decisions, the current state, the ledger, receipts and the export. The subject acts
 * for themself; a linked guardian acts for their ward (policy 7); privacy officers read, naming why ({@code purpose});
 * every read by someone other than the subject is recorded (policy 5.2.3, service-kit's AccessRecorder).
 */
@Path("/v1/consents/{subjectId}")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ConsentResource {

    /** The current consents of a subject. */
    public record ConsentState(UUID subjectId, List<ConsentLedger.CurrentConsent> consents) {
    }

    /** A page of the ledger. */
    public record LedgerPage(List<RecordView> items, int page, int size, long total) {
    }

    /** The answer to a decision: its record, and the opt-outs a DNT/GPC signal recorded with it. */
    public record ChangeResult(RecordView record, List<RecordView> signalRecords) {
    }

    /** Everything this service holds on a subject (policy 6.1, 6.6). */
    public record Export(UUID subjectId, Instant generatedAt, List<Map<String, Object>> records,
                         List<Receipts.Receipt> receipts, String receiptKeys) {
    }

    private final ConsentLedger ledger;
    private final Subjects subjects;
    private final Receipts receipts;
    private final ConsentRequests requests;
    private final JsonWebToken caller;
    private final AccessRecorder access;

    public ConsentResource(ConsentLedger ledger, Subjects subjects, Receipts receipts, ConsentRequests requests,
                           JsonWebToken caller, AccessRecorder access) {
        this.access = access;
        this.ledger = ledger;
        this.subjects = subjects;
        this.receipts = receipts;
        this.requests = requests;
        this.caller = caller;
    }

    @GET
    @Path("/requests")
    @RolesAllowed({Roles.SUBJECT, Roles.GUARDIAN, Roles.PRIVACY_OFFICER})
    @Operation(summary = "The consent requests asked of the subject (policies 2.3, 9.2), newest first, with their answers")
    public List<ConsentRequests.Request> requests(@PathParam("subjectId") UUID subjectId) {
        subjects.authorizeRead(subjectId, caller, false);
        return requests.forSubject(subjectId);
    }

    @POST
    @Path("/records")
    @RolesAllowed({Roles.SUBJECT, Roles.GUARDIAN})
    @Operation(summary = "Give, refuse or withdraw consent for a purpose (Idempotency-Key honoured; DNT and Sec-GPC recorded)")
    public Response change(@PathParam("subjectId") UUID subjectId, @Valid @NotNull ConsentChange change,
                           @HeaderParam("Idempotency-Key") String idempotencyKey, @HeaderParam("DNT") String dnt,
                           @HeaderParam("Sec-GPC") String gpc, @HeaderParam("User-Agent") String userAgent,
                           @Context HttpServerRequest request) {
        if (idempotencyKey != null && (idempotencyKey.isBlank() || idempotencyKey.length() > 200)) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Idempotency-Key must be 1 to 200 characters.",
                    "Idempotency-Key");
        }
        Actor actor = subjects.authorizeChange(subjectId, caller, change.decision() == ConsentChange.Decision.GIVEN);
        String signal = "1".equals(gpc == null ? null : gpc.trim()) ? "GPC" : "1".equals(dnt == null ? null : dnt.trim()) ? "DNT" : null;
        Evidence evidence = new Evidence(signal, userAgent, network(request));
        ConsentLedger.Change result = ledger.change(subjectId, change, actor, evidence, idempotencyKey);
        return Response.status(result.replayed() ? 200 : 201)
                .entity(new ChangeResult(result.record(), result.signalRecords())).build();
    }

    @GET
    @RolesAllowed({Roles.SUBJECT, Roles.GUARDIAN, Roles.PRIVACY_OFFICER})
    @Operation(summary = "The subject's current consents (a projection of the ledger)")
    public ConsentState current(@PathParam("subjectId") UUID subjectId, @QueryParam("purpose") String purpose) {
        subjects.authorizeRead(subjectId, caller, false);
        String why = access.purpose(subjectId, purpose, null);
        ConsentState state = new ConsentState(subjectId, ledger.current(subjectId));
        access.read(subjectId, why, List.of("consents"));
        return state;
    }

    @GET
    @Path("/records")
    @RolesAllowed({Roles.SUBJECT, Roles.GUARDIAN, Roles.PRIVACY_OFFICER})
    @Operation(summary = "The subject's ledger, oldest first")
    public LedgerPage records(@PathParam("subjectId") UUID subjectId,
                              @QueryParam("page") @DefaultValue("0") @Min(0) int page,
                              @QueryParam("size") @DefaultValue("50") @Min(1) @Max(500) int size,
                              @QueryParam("purpose") String purpose) {
        subjects.authorizeRead(subjectId, caller, false);
        String why = access.purpose(subjectId, purpose, null);
        LedgerPage ledgerPage = new LedgerPage(ledger.records(subjectId, page, size), page, size,
                ledger.recordCount(subjectId));
        access.read(subjectId, why, List.of("consentRecords"));
        return ledgerPage;
    }

    @GET
    @Path("/receipts")
    @RolesAllowed({Roles.SUBJECT, Roles.GUARDIAN, Roles.PRIVACY_OFFICER})
    @Operation(summary = "The subject's signed consent receipts")
    public List<Receipts.Receipt> receipts(@PathParam("subjectId") UUID subjectId,
                                           @QueryParam("purpose") String purpose) {
        subjects.authorizeRead(subjectId, caller, false);
        String why = access.purpose(subjectId, purpose, null);
        List<Receipts.Receipt> found = receipts.forSubject(subjectId);
        access.read(subjectId, why, List.of("consentReceipts"));
        return found;
    }

    @GET
    @Path("/receipts/{receiptId}")
    @RolesAllowed({Roles.SUBJECT, Roles.GUARDIAN, Roles.PRIVACY_OFFICER})
    @Operation(summary = "One signed consent receipt")
    public Receipts.Receipt receipt(@PathParam("subjectId") UUID subjectId, @PathParam("receiptId") UUID receiptId,
                                    @QueryParam("purpose") String purpose) {
        subjects.authorizeRead(subjectId, caller, false);
        String why = access.purpose(subjectId, purpose, null);
        Receipts.Receipt found = receipts.find(subjectId, receiptId)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No such receipt for this subject."));
        access.read(subjectId, why, List.of("consentReceipts"));
        return found;
    }

    @GET
    @Path("/export")
    @RolesAllowed({Roles.SUBJECT, Roles.GUARDIAN, Roles.PRIVACY_OFFICER, Roles.HOLDER})
    @AllowedClients(value = "rights-request-service", scope = Scopes.CONSENT_EXPORT_READ)
    @Operation(summary = "The subject's ledger (with evidence) and receipts, machine-readable (policy 6.1, 6.6)")
    public Export export(@PathParam("subjectId") UUID subjectId, @QueryParam("purpose") String purpose) {
        subjects.authorizeRead(subjectId, caller, true);
        String why = access.purpose(subjectId, purpose, AccessPurposes.RIGHTS_EXPORT);
        Export export = new Export(subjectId, Instant.now(), ledger.export(subjectId), receipts.forSubject(subjectId),
                "/v1/receipts/keys");
        access.read(subjectId, why, List.of("consentRecords", "consentEvidence", "consentReceipts"));
        return export;
    }

    /** The client's network, never its full address: IPv4 truncated to /24, IPv6 to /48 (policy 2.1.2). */
    static String network(HttpServerRequest request) {
        if (request == null || request.remoteAddress() == null || request.remoteAddress().hostAddress() == null) {
            return null;
        }
        try {
            byte[] a = InetAddress.getByName(request.remoteAddress().hostAddress()).getAddress();
            if (a.length == 4) {
                return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + ".0/24";
            }
            return String.format("%x:%x:%x::/48", ((a[0] & 0xff) << 8) | (a[1] & 0xff), ((a[2] & 0xff) << 8) | (a[3] & 0xff),
                    ((a[4] & 0xff) << 8) | (a[5] & 0xff));
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
