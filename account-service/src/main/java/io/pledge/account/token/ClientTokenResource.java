package io.pledge.account.token;

import io.pledge.account.config.AccountConfig;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.ClientSecrets;
import io.pledge.kit.security.Roles;
import io.quarkus.logging.Log;
import jakarta.annotation.security.PermitAll;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /v1/oauth/token}: the OAuth 2.0 client-credentials grant (RFC 6749 section 4.4) for
 * Pledge's own services. A client in {@code pledge.account.service-clients} authenticates with HTTP
 * Basic (its name and the secret in {@code ${pledge.data-dir}/client-secrets/<name>}) and gets a
 * short-lived {@code holder} token whose subject is its name. service-kit's {@code ServiceTokens}
 * is the caller. Errors are problem+json like every other answer of this service.
 */
@Path("/v1/oauth/token")
@ApplicationScoped
public class ClientTokenResource {

    /** RFC 6749 5.1 token response. */
    public record TokenResponse(String access_token, String token_type, long expires_in) {
    }

    private final TokenIssuer issuer;
    private final AccountConfig config;
    private final java.nio.file.Path dataDir;

    public ClientTokenResource(TokenIssuer issuer, AccountConfig config,
                               @ConfigProperty(name = "pledge.data-dir") java.nio.file.Path dataDir) {
        this.issuer = issuer;
        this.config = config;
        this.dataDir = dataDir;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A holder token for a Pledge service (client credentials, HTTP Basic)")
    public TokenResponse token(@HeaderParam("Authorization") String authorization,
                               @FormParam("grant_type") String grantType) {
        if (!"client_credentials".equals(grantType)) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "Only grant_type=client_credentials is supported.",
                    "grant_type");
        }
        String[] credentials = basic(authorization);
        String client = credentials[0];
        Optional<String> stored = config.serviceClients().contains(client)
                ? ClientSecrets.read(dataDir, client) : Optional.empty();
        if (stored.isEmpty() || !ClientSecrets.matches(stored.get(), credentials[1])) {
            Log.warnf("client-credentials grant refused for a client id of %d characters", client.length());
            throw new ProblemException(ProblemType.UNAUTHORIZED, "Unknown client or wrong secret.");
        }
        String token = issuer.sign(client, Set.of(Roles.HOLDER), config.serviceTokenTtl());
        return new TokenResponse(token, "Bearer", config.serviceTokenTtl().toSeconds());
    }

    private static String[] basic(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "Client authentication (HTTP Basic) is required.");
        }
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "Client authentication (HTTP Basic) is malformed.");
        }
        int colon = decoded.indexOf(':');
        if (colon <= 0) {
            throw new ProblemException(ProblemType.UNAUTHORIZED, "Client authentication (HTTP Basic) is malformed.");
        }
        return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    }
}
