package io.pledge.rights.certificate;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.Base64;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/** {@code /v1/certificates/public-key}: the key that signs erasure certificates, for anyone to verify them. */
@Path("/v1/certificates/public-key")
public class CertificateResource {

    private final CertificateKeys keys;

    public CertificateResource(CertificateKeys keys) {
        this.keys = keys;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The certificate signing key: keyId, algorithm, X.509 DER (base64) and PEM")
    public Map<String, String> publicKey() {
        return Map.of("keyId", keys.keyId(), "algorithm", "ES256", "jcaAlgorithm", CertificateKeys.ALGORITHM,
                "der", Base64.getEncoder().encodeToString(keys.publicKeyDer()), "pem", keys.publicKeyPem());
    }
}
