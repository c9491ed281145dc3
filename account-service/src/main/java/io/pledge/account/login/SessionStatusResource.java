package io.pledge.account.login;

import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.security.Sessions;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.HashSet;
import java.util.Set;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /internal/v1/sessions/status}: the other Pledge services ask whether the session of a token they were
 * handed is still live (service-kit's {@code RemoteSessions}, a cached introspection). The token is verified here
 * again, against this service's own keys, for any Pledge audience (a holder's token for consent-service is asked
 * about by consent-service); an invalid or expired token, or one without a session, is {@code live: false}.
 */
@Path("/internal/v1/sessions/status")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class SessionStatusResource {

    /** The token whose session is asked about. */
    public record StatusRequest(@NotBlank @Size(max = 8192) String token) {
    }

    /** Whether it is live. */
    public record Status(boolean live) {
    }

    private final JWTParser parser;
    private final JWTAuthContextInfo anyPledgeAudience;
    private final Sessions sessions;

    public SessionStatusResource(JWTParser parser, JWTAuthContextInfo context, Sessions sessions) {
        this.parser = parser;
        this.sessions = sessions;
        this.anyPledgeAudience = new JWTAuthContextInfo(context);
        Set<String> audiences = new HashSet<>(Scopes.SERVICES);
        audiences.add(Scopes.PUBLIC_AUDIENCE);
        this.anyPledgeAudience.setExpectedAudience(audiences);
    }

    @POST
    @RolesAllowed(Roles.HOLDER)
    @AllowedClients(value = {"consent-service", "rights-request-service", "notification-service", "audit-service"},
            scope = Scopes.SESSION_READ)
    @Operation(summary = "Is the session of this token live (for Pledge's own services)")
    public Status status(@Valid @NotNull StatusRequest request) {
        try {
            JsonWebToken t = parser.parse(request.token(), anyPledgeAudience);
            return new Status(Sessions.sessionId(t) != null && sessions.live(t));
        } catch (ParseException e) {
            return new Status(false);
        }
    }
}
