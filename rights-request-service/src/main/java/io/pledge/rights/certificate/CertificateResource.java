package io.pledge.rights.certificate;

import io.pledge.kit.crypto.KeyPairFiles;
import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code /v1/certificates/public-key}: the key that signs erasure certificates now (top-level fields) and, in
 * {@code keys}, every key that verifies one, current and retired, each under the {@code keyId} a certificate names.
 */
@Path("/v1/certificates/public-key")
public class CertificateResource {

    private final CertificateKeys keys;

    public CertificateResource(CertificateKeys keys) {
        this.keys = keys;
    }

    @GET
    @PermitAll
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "The certificate signing keys: the current keyId, algorithm, X.509 DER (base64) and PEM, "
            + "and every key still verifying certificates in keys")
    public Map<String, Object> publicKey() {
        String current = keys.keyId();
        Map<String, Object> out = new LinkedHashMap<>(view(current, keys.publicKeyDer()));
        List<Map<String, Object>> all = new ArrayList<>();
        keys.publicKeys().forEach((kid, der) -> {
            Map<String, Object> k = new LinkedHashMap<>(view(kid, der));
            k.put("current", kid.equals(current));
            all.add(k);
        });
        out.put("keys", all);
        return out;
    }

    private static Map<String, Object> view(String kid, byte[] der) {
        Map<String, Object> k = new LinkedHashMap<>();
        k.put("keyId", kid);
        k.put("algorithm", "ES256");
        k.put("jcaAlgorithm", CertificateKeys.ALGORITHM);
        k.put("der", Base64.getEncoder().encodeToString(der));
        k.put("pem", KeyPairFiles.toPem("PUBLIC KEY", der));
        return k;
    }
}
