package io.pledge.kit.crypto;

import io.pledge.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Operators' key management on every service: {@code POST /internal/v1/keys/rotation} creates a
 * new KEK version and re-wraps every data key to it; old ciphertext stays readable throughout.
 * Under {@code /internal}: never routed by the gateway.
 */
@Path("/internal/v1/keys")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SECURITY_OFFICER)
public class KeyRotationResource {

    /** The KEK version in use and how many data keys the last operation re-wrapped. */
    public record KeyStatus(String kekVersion, Integer rewrapped) {
    }

    private final KeyManagement keys;

    public KeyRotationResource(KeyManagement keys) {
        this.keys = keys;
    }

    @GET
    @Operation(summary = "The KEK version that wraps new data keys")
    public KeyStatus status() {
        return new KeyStatus(keys.currentVersion(), null);
    }

    @POST
    @Path("/rotation")
    @Operation(summary = "Rotate the KEK and re-wrap every data key")
    public KeyStatus rotate() {
        int n = keys.rotateAndRewrap();
        return new KeyStatus(keys.currentVersion(), n);
    }
}
