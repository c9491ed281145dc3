package io.pledge.account.token;

import io.pledge.account.config.AccountConfig;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code /.well-known/openid-configuration}: OpenID Connect Discovery 1.0 / OAuth 2.0 Authorization Server Metadata
 * (RFC 8414) for frontends and tools, with every URL under the public base ({@code pledge.account.public-url}). There
 * is no authorization endpoint (no browser redirect flow): subjects and staff sign in with Pledge's own endpoints, named
 * in the {@code pledge_*} members, and services with the client-credentials grant at the token endpoint.
 */
@Path("/.well-known/openid-configuration")
public class DiscoveryResource {

    /** Claims Pledge tokens carry. */
    static final List<String> CLAIMS = List.of("iss", "sub", "aud", "exp", "iat", "jti", "groups", "sid", "scope",
            "name", "preferred_username");

    private final AccountConfig config;

    public DiscoveryResource(AccountConfig config) {
        this.config = config;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "OpenID Connect discovery document: issuer, JWKS, token and introspection endpoints, grants, scopes, claims")
    public Response configuration() {
        String base = config.publicUrl().toString().replaceAll("/$", "");
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("issuer", Roles.ISSUER);
        d.put("jwks_uri", base + "/.well-known/jwks.json");
        d.put("token_endpoint", base + "/v1/oauth/token");
        d.put("token_endpoint_auth_methods_supported", List.of("client_secret_basic"));
        d.put("introspection_endpoint", base + "/v1/tokens/introspect");
        d.put("grant_types_supported", List.of("client_credentials"));
        d.put("response_types_supported", List.of());
        d.put("subject_types_supported", List.of("public"));
        d.put("id_token_signing_alg_values_supported", List.of("RS256"));
        d.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS256"));
        d.put("scopes_supported", new TreeSet<>(Scopes.AUDIENCE.keySet()));
        d.put("claims_supported", CLAIMS);
        TreeSet<String> audiences = new TreeSet<>(Scopes.SERVICES);
        audiences.add(Scopes.PUBLIC_AUDIENCE);
        d.put("pledge_audiences_supported", audiences);
        d.put("pledge_subject_session_endpoint", base + "/v1/sessions");
        d.put("pledge_staff_session_endpoint", base + "/v1/staff/sessions");
        d.put("pledge_session_refresh_endpoints", List.of(base + "/v1/sessions/refresh", base + "/v1/staff/sessions/refresh"));
        CacheControl cache = new CacheControl();
        cache.setMaxAge(300);
        return Response.ok(d).cacheControl(cache).build();
    }
}
