package io.pledge.consent.receipt;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code GET /v1/receipts/keys}: the public key (JWKS) that verifies every consent receipt. */
@Path("/v1/receipts/keys")
public class ReceiptKeysResource {

    private final ReceiptSigner signer;

    public ReceiptKeysResource(ReceiptSigner signer) {
        this.signer = signer;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The JWKS verifying consent receipts")
    public String keys() {
        return signer.jwksJson();
    }
}
