package io.pledge.consent.ledger;

import io.pledge.consent.ledger.ConsentLedger.Evidence;
import io.pledge.consent.ledger.ConsentRequests.Request;
import io.pledge.consent.ledger.Subjects.Actor;
import io.pledge.consent.purpose.Purpose;
import io.pledge.consent.purpose.PurposeCatalogue;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Consent requests (policies 2.3, 9.2): what a subject has been asked (a new purpose, a material policy version) and
 * their answer. The notice notification-service sends links to {@code /v1/consent-requests/{id}}; the signed-in
 * subject (or a minor's linked guardian) answers GIVEN or REFUSED, recorded in the ledger against the request. A
 * subject's list of requests is {@code GET /v1/consents/{subjectId}/requests} ({@link ConsentResource}).
 */
@Path("/v1/consent-requests")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class ConsentRequestResource {

    /** The answer to a consent request ({@code explicitConfirmation} for a sensitive purpose, policy 4.2). */
    public record Answer(@NotNull Decision decision, @NotNull ConsentChange.Channel channel, Boolean explicitConfirmation) {
    }

    /** What a subject may answer: a request is a yes or a no (a withdrawal is a later change of the consent). */
    public enum Decision { GIVEN, REFUSED }

    private final ConsentRequests requests;
    private final ConsentLedger ledger;
    private final Subjects subjects;
    private final PurposeCatalogue catalogue;
    private final JsonWebToken caller;

    public ConsentRequestResource(ConsentRequests requests, ConsentLedger ledger, Subjects subjects,
                                  PurposeCatalogue catalogue, JsonWebToken caller) {
        this.requests = requests;
        this.ledger = ledger;
        this.subjects = subjects;
        this.catalogue = catalogue;
        this.caller = caller;
    }

    @GET
    @Path("/{requestId}")
    @RolesAllowed({Roles.SUBJECT, Roles.GUARDIAN, Roles.PRIVACY_OFFICER})
    @Operation(summary = "One consent request (the target of the notice's link)")
    public Request one(@PathParam("requestId") UUID requestId) {
        Request r = find(requestId);
        subjects.authorizeRead(r.subjectId(), caller, false);
        return r;
    }

    @POST
    @Path("/{requestId}/answer")
    @RolesAllowed({Roles.SUBJECT, Roles.GUARDIAN})
    @Operation(summary = "Answer a consent request: GIVEN or REFUSED, recorded against it and its policy version")
    public Response answer(@PathParam("requestId") UUID requestId, @Valid @NotNull Answer answer,
                           @HeaderParam("User-Agent") String userAgent, @Context HttpServerRequest http) {
        Request r = find(requestId);
        Actor actor = subjects.authorizeChange(r.subjectId(), caller, answer.decision() == Decision.GIVEN);
        Purpose p = catalogue.require(r.purposeId(), "purposeId");
        if (p.perRecipient()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "This purpose is given per recipient: answer it from "
                    + "the consent settings, naming the recipient.", "requestId");
        }
        ConsentChange change = new ConsentChange(r.purposeId(), ConsentChange.Decision.valueOf(answer.decision().name()),
                null, null, answer.channel(), null, answer.explicitConfirmation(), null, null);
        ConsentLedger.Change result = ledger.answer(r.subjectId(), change, actor,
                new Evidence(null, userAgent, ConsentResource.network(http)),
                new ConsentLedger.Answering(r.requestId(), r.policyVersion()));
        return Response.status(201).entity(new ConsentResource.ChangeResult(result.record(), result.signalRecords())).build();
    }

    private Request find(UUID requestId) {
        return requests.find(requestId)
                .orElseThrow(() -> new ProblemException(ProblemType.NOT_FOUND, "No such consent request."));
    }
}
