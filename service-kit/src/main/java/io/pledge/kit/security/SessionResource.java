package io.pledge.kit.security;

import io.quarkus.security.Authenticated;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.Set;
import java.util.TreeSet;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /v1/session} on every service: who the bearer token says the caller is, as this
 * service verified it. Lets a frontend or an operator check a token against any service.
 */
@Path("/v1/session")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    /** The caller as this service sees it. */
    public record Session(String subject, Set<String> roles, String issuer, Instant expiresAt) {
    }

    @Inject
    JsonWebToken jwt;

    @GET
    @Authenticated
    @Operation(summary = "The verified identity behind the bearer token")
    public Session session() {
        return new Session(jwt.getSubject(), new TreeSet<>(jwt.getGroups()), jwt.getIssuer(),
                Instant.ofEpochSecond(jwt.getExpirationTime()));
    }
}
