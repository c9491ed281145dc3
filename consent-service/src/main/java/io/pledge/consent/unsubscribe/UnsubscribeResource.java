package io.pledge.consent.unsubscribe;

import io.pledge.consent.ledger.ConsentLedger;
import io.pledge.consent.ledger.Patterns;
import io.pledge.consent.ledger.RecordView;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.PermitAll;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * One-click unsubscribe (policy 2.2.3): holders (notification-service) get a token per message; following
 * the link ({@code GET}, or RFC 8058 one-click {@code POST}) withdraws the purpose without logging in.
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
public class UnsubscribeResource {

    /** Which subject and marketing purpose a token is for. */
    public record TokenRequest(@NotNull UUID subjectId, @NotNull @Pattern(regexp = Patterns.PURPOSE) String purposeId) {
    }

    /** The outcome, without echoing the subject. */
    public record Unsubscribed(String purposeId, String status, Instant since, UUID receiptId) {
    }

    private final UnsubscribeTokens tokens;
    private final ConsentLedger ledger;

    public UnsubscribeResource(UnsubscribeTokens tokens, ConsentLedger ledger) {
        this.tokens = tokens;
        this.ledger = ledger;
    }

    @POST
    @Path("/unsubscribe-tokens")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.HOLDER, Roles.PRIVACY_OFFICER})
    @AllowedClients(value = "notification-service", scope = Scopes.UNSUBSCRIBE_ISSUE)
    @Operation(summary = "A signed, expiring unsubscribe link for one subject and marketing purpose")
    public Response issue(@Valid @NotNull TokenRequest request) {
        ledger.requireNotErased(request.subjectId());
        return Response.status(201).entity(tokens.issue(request.subjectId(), request.purposeId())).build();
    }

    @GET
    @Path("/unsubscribe")
    @PermitAll
    @Operation(summary = "Follow an unsubscribe link: withdraws the marketing purpose it names")
    public Unsubscribed follow(@QueryParam("token") String token) {
        return unsubscribe(token);
    }

    @POST
    @Path("/unsubscribe")
    @PermitAll
    @Consumes({MediaType.APPLICATION_FORM_URLENCODED, MediaType.WILDCARD})
    @Operation(summary = "RFC 8058 one-click unsubscribe")
    public Unsubscribed oneClick(@QueryParam("token") String token) {
        return unsubscribe(token);
    }

    private Unsubscribed unsubscribe(String token) {
        UnsubscribeTokens.Claims claims = tokens.verify(token);
        RecordView r = ledger.unsubscribe(claims.subjectId(), claims.purposeId());
        return new Unsubscribed(r.purposeId(), r.status(), r.recordedAt(), r.receiptId());
    }
}
