package io.pledge.kit.security;

import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /v1/tokens/introspect}: a holder (a service or a downstream team) asks whether a
 * token it was handed is valid here and what it carries, in the spirit of RFC 7662. An invalid
 * token is an answer ({@code active: false}), not an error. A client token needs the scope
 * {@code token:introspect}; a token meant for another service is inactive here, and so is a token whose session
 * has ended ({@link Sessions}).
 */
@Path("/v1/tokens/introspect")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
public class TokenIntrospectionResource {

    /** The token to check. */
    public record IntrospectionRequest(@NotBlank @Size(max = 8192) String token) {
    }

    /** What the token carries when it is active; only {@code active} otherwise. */
    public record Introspection(boolean active, String subject, Set<String> roles, String issuer, Instant expiresAt,
                                Set<String> audience, String scope) {
        static Introspection inactive() {
            return new Introspection(false, null, null, null, null, null, null);
        }
    }

    private final JWTParser parser;
    private final Sessions sessions;

    private final boolean sessionRequired;

    public TokenIntrospectionResource(JWTParser parser, Sessions sessions,
                                      @ConfigProperty(name = "pledge.security.session.required", defaultValue = "true")
                                      boolean sessionRequired) {
        this.parser = parser;
        this.sessions = sessions;
        this.sessionRequired = sessionRequired;
    }

    @POST
    @RolesAllowed({Roles.HOLDER, Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER, Roles.SUPPORT_AGENT})
    @AllowedClients(value = "*", scope = Scopes.TOKEN_INTROSPECT)
    @Operation(summary = "Is this token valid here, and for whom")
    public Introspection introspect(@Valid @jakarta.validation.constraints.NotNull IntrospectionRequest request) {
        try {
            JsonWebToken t = parser.parse(request.token());
            boolean sessionless = Sessions.sessionId(t) == null;
            if (sessionless ? sessionRequired && Sessions.needsSession(t) : !sessions.live(t)) {
                return Introspection.inactive();
            }
            return new Introspection(true, t.getSubject(), new TreeSet<>(t.getGroups()), t.getIssuer(),
                    Instant.ofEpochSecond(t.getExpirationTime()),
                    t.getAudience() == null ? Set.of() : new TreeSet<>(t.getAudience()), Scopes.format(Scopes.of(t)));
        } catch (ParseException e) {
            return Introspection.inactive();
        }
    }
}
