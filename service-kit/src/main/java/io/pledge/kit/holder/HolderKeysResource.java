package io.pledge.kit.holder;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code GET /internal/v1/holder-keys} on every service: the public keys its own holder replies are signed with
 * ({@link HolderSigner}). Public keys only, no personal data; under {@code /internal}, so read by rights-request-service
 * at the service's configured internal URL and never routed by the gateway (the published copy of every holder's keys
 * is rights-request-service's {@code GET /v1/holders/keys}).
 */
@Path("/internal/v1/holder-keys")
@Produces(MediaType.APPLICATION_JSON)
public class HolderKeysResource {

    private final HolderSigner signer;

    public HolderKeysResource(HolderSigner signer) {
        this.signer = signer;
    }

    @GET
    @PermitAll
    @Operation(summary = "This service's holder signing keys (public JWKs), the current one first")
    public Map<String, Object> keys() {
        return signer.document();
    }
}
