package io.pledge.account.token;

import io.pledge.account.client.HolderClient;
import io.pledge.account.client.HolderClients;
import io.pledge.account.config.AccountConfig;
import io.pledge.kit.http.RequestIds;
import io.pledge.kit.problem.Problem;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.ClientSecrets;
import io.pledge.kit.security.Scopes;
import io.quarkus.logging.Log;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * {@code POST /v1/oauth/token}: the OAuth 2.0 client-credentials grant (RFC 6749 section 4.4) for
 * Pledge's own services. A client in {@code pledge.account.service-clients} authenticates with HTTP
 * Basic (its name and the secret in {@code ${pledge.data-dir}/client-secrets/<name>}), names the one
 * service the token is for ({@code audience}, as RFC 8693 spells it) and optionally the scopes it wants
 * ({@code scope}, RFC 6749 3.3). It gets a short-lived {@code holder} token whose subject is its name,
 * whose {@code aud} is that service and whose {@code scope} is what it asked for, or, if it asked for
 * none, everything it holds there ({@link ClientGrants}). A scope it does not hold is refused, never trimmed. A
 * registered holder's client ({@code holder-<holderId>}, issued by the holder registry, {@link HolderClients})
 * authenticates the same way with the secret it was given and holds the scopes the registry granted it; its tokens
 * carry {@code sid} = its current credential id, so they end when that credential is rotated or revoked. service-kit's
 * {@code ServiceTokens} is the caller. Errors are problem+json like every other answer of this service,
 * with the RFC 6749 5.2 {@code error} code beside the problem's members.
 */
@Path("/v1/oauth/token")
@ApplicationScoped
public class ClientTokenResource {

    /** RFC 6749 5.1 token response. */
    public record TokenResponse(String access_token, String token_type, long expires_in, String scope) {
    }

    /** A refusal with its RFC 6749 5.2 error code. */
    static final class OAuthError extends RuntimeException {
        final Problem problem;
        final String error;

        OAuthError(ProblemType type, String error, String detail, String field) {
            super(error, null, false, false);
            Problem p = Problem.of(type, detail);
            this.problem = field == null ? p : p.withField(field);
            this.error = error;
        }
    }

    private final TokenIssuer issuer;
    private final AccountConfig config;
    private final java.nio.file.Path dataDir;
    private final ClientGrants grants;
    private final HolderClients holderClients;

    public ClientTokenResource(TokenIssuer issuer, AccountConfig config, ClientGrants grants, HolderClients holderClients,
                               @ConfigProperty(name = "pledge.data-dir") java.nio.file.Path dataDir) {
        this.issuer = issuer;
        this.holderClients = holderClients;
        this.config = config;
        this.grants = grants;
        this.dataDir = dataDir;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A holder token for one Pledge service (client credentials, HTTP Basic; form grant_type, audience, scope)")
    @APIResponse(responseCode = "400", description = "problem+json with error invalid_request, unsupported_grant_type, "
            + "invalid_target (not a Pledge service) or invalid_scope (a scope the client does not hold there)")
    @APIResponse(responseCode = "401", description = "problem+json with error invalid_client")
    public TokenResponse token(@HeaderParam("Authorization") String authorization,
                               @FormParam("grant_type") String grantType,
                               @FormParam("audience") String audience,
                               @FormParam("scope") String scope) {
        if (!"client_credentials".equals(grantType)) {
            throw new OAuthError(ProblemType.INVALID_INPUT, "unsupported_grant_type",
                    "Only grant_type=client_credentials is supported.", "grant_type");
        }
        String[] credentials = basic(authorization);
        String client = credentials[0];
        UUID credentialId = null;
        Set<String> registered = null;
        if (Scopes.isHolderClient(client)) {
            // a registered holder's client: its secret and scopes come from the holder registry, never from a file
            Optional<HolderClient> c = holderClients.authenticate(client, credentials[1]);
            if (c.isEmpty()) {
                Log.warnf("client-credentials grant refused for a holder client id of %d characters", client.length());
                throw new OAuthError(ProblemType.UNAUTHORIZED, "invalid_client", "Unknown client or wrong secret.", null);
            }
            credentialId = c.get().credentialId;
            registered = Scopes.parse(c.get().scopes);
        } else {
            Optional<String> stored = config.serviceClients().contains(client)
                    ? ClientSecrets.read(dataDir, client) : Optional.empty();
            if (stored.isEmpty() || !ClientSecrets.matches(stored.get(), credentials[1])) {
                Log.warnf("client-credentials grant refused for a client id of %d characters", client.length());
                throw new OAuthError(ProblemType.UNAUTHORIZED, "invalid_client", "Unknown client or wrong secret.", null);
            }
        }
        if (audience == null || audience.isBlank()) {
            throw new OAuthError(ProblemType.INVALID_INPUT, "invalid_request",
                    "Name the service the token is for (audience).", "audience");
        }
        if (!Scopes.SERVICES.contains(audience)) {
            throw new OAuthError(ProblemType.INVALID_INPUT, "invalid_target", "The audience is not a Pledge service.",
                    "audience");
        }
        Set<String> held = registered != null ? Scopes.forAudience(registered, audience) : grants.held(client, audience);
        Set<String> granted;
        if (scope == null || scope.isBlank()) {
            granted = held;
        } else {
            granted = Scopes.parse(scope);
            if (!held.containsAll(granted)) {
                Log.warnf("client %s asked %s for scopes it does not hold", client, audience);
                throw new OAuthError(ProblemType.INVALID_INPUT, "invalid_scope",
                        "This client does not hold every scope it asked for at that audience.", "scope");
            }
        }
        if (granted.isEmpty()) {
            throw new OAuthError(ProblemType.INVALID_INPUT, "invalid_scope", "This client holds no scope at that audience.",
                    "audience");
        }
        String token = issuer.clientToken(client, audience, granted, config.serviceTokenTtl(), credentialId);
        return new TokenResponse(token, "Bearer", config.serviceTokenTtl().toSeconds(), Scopes.format(granted));
    }

    /** The problem, with the OAuth error code beside its members (RFC 6749 5.2 clients read {@code error}). */
    @ServerExceptionMapper
    public Response refused(OAuthError e, ContainerRequestContext request) {
        Map<String, Object> body = new LinkedHashMap<>();
        Problem p = e.problem.withInstance(RequestIds.instance(request));
        body.put("type", p.type());
        body.put("title", p.title());
        body.put("status", p.status());
        body.put("detail", p.detail());
        body.put("instance", p.instance());
        if (p.field() != null) {
            body.put("field", p.field());
        }
        body.put("error", e.error);
        body.put("error_description", p.detail());
        Response.ResponseBuilder r = Response.status(p.status()).type(Problem.MEDIA_TYPE).entity(body)
                .header("Cache-Control", "no-store");
        if (p.status() == 401) {
            r.header("WWW-Authenticate", "Basic realm=\"pledge\"");
        }
        return r.build();
    }

    private static String[] basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new OAuthError(ProblemType.UNAUTHORIZED, "invalid_client", "Client authentication (HTTP Basic) is required.", null);
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new OAuthError(ProblemType.UNAUTHORIZED, "invalid_client", "Client authentication (HTTP Basic) is malformed.", null);
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new OAuthError(ProblemType.UNAUTHORIZED, "invalid_client", "Client authentication (HTTP Basic) is malformed.", null);
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
