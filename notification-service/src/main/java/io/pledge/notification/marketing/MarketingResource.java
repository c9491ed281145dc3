package io.pledge.notification.marketing;

import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The way a marketing team sends marketing through Pledge: a registered holder whose registration granted it
 * {@code marketing:send} (its OAuth client from the holder registry). Consent is not the caller's word: it is asked
 * of consent-service for every subject and channel when each message is sent.
 */
@Path("/v1/marketing/messages")
@Produces(MediaType.APPLICATION_JSON)
@ApplicationScoped
public class MarketingResource {

    private final Marketing marketing;
    private final JsonWebToken jwt;

    public MarketingResource(Marketing marketing, JsonWebToken jwt) {
        this.marketing = marketing;
        this.jwt = jwt;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "*", scope = Scopes.MARKETING_SEND)
    @Operation(summary = "Send an offer to up to 1,000 subjects; each gets it only with consent for the channel's "
            + "marketing purpose at send time, with a one-click unsubscribe link (Idempotency-Key honoured)")
    public Response send(@Valid @NotNull MarketingMessage m, @HeaderParam("Idempotency-Key") String key,
                         @jakarta.ws.rs.core.Context UriInfo uri) {
        Marketing.Accepted a = marketing.send(jwt.getSubject(), m, key);
        return Response.created(uri.getAbsolutePathBuilder().path(a.messageId().toString()).build()).entity(a).build();
    }

    @GET
    @Path("{id}")
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = "*", scope = Scopes.MARKETING_SEND)
    @Operation(summary = "The message's deliveries so far, by status, and why those not sent were not (sender only)")
    public Marketing.Outcome get(@PathParam("id") UUID id) {
        return marketing.outcome(jwt.getSubject(), id);
    }
}
