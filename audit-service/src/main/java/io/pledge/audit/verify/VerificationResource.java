package io.pledge.audit.verify;

import io.pledge.kit.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** Verifies the whole ledger on demand and names the first bad entry. */
@Path("/v1/audit/verification")
@Produces(MediaType.APPLICATION_JSON)
public class VerificationResource {

    private final LedgerVerification verification;

    public VerificationResource(LedgerVerification verification) {
        this.verification = verification;
    }

    @GET
    @RolesAllowed({Roles.PRIVACY_OFFICER, Roles.SECURITY_OFFICER})
    @Operation(summary = "Recompute the hash chain and every checkpoint's root and signature; name the first bad entry")
    public VerificationReport verify() {
        return verification.verify();
    }
}
