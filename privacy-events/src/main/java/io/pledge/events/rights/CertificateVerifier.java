package io.pledge.events.rights;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.events.EventJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Checks an erasure certificate offline, as a third party would: Pledge's ES256 signature over the payload exactly as
 * served (the key chosen by the payload's {@code keyId}, that id being the base64url SHA-256 of the X.509 key), and
 * every holder's own signed statement embedded in it ({@code holders[].reply}, verified with {@code replyKey}, that key
 * being the one the published holder keys list for that holder and kid, valid when the holder replied), each statement
 * naming the certificate's request and the holder and outcome the certificate lists; a holder resolved by its
 * offboarding ({@code resolvedByOffboarding}) carries instead its signed acknowledgement of that offboarding
 * request. Plain Java and Jackson.
 * <p>
 * Command line: {@code java -cp privacy-events.jar:<jackson jars> io.pledge.events.rights.CertificateVerifier
 * certificate.json certificate-keys.json holder-keys.json}, the three documents as rights-request-service serves them
 * ({@code GET /v1/requests/{id}/certificate}, {@code GET /v1/certificates/public-key}, {@code GET /v1/holders/keys});
 * exit status 0 when everything verifies, 1 naming each problem otherwise.
 */
public final class CertificateVerifier {

    private static final ObjectMapper JSON = EventJson.mapper();

    /** What was found: no problem means Pledge's signature and every holder's statement verify. */
    public record Result(List<String> problems) {
        public boolean valid() {
            return problems.isEmpty();
        }
    }

    private CertificateVerifier() {
    }

    /**
     * @param payload          the certificate's payload, exactly as served
     * @param signature        its signature (base64url DER ECDSA P-256 SHA-256)
     * @param certificateKeys  Pledge's certificate keys: kid to X.509 DER
     * @param holderKeys       the published holder keys ({@code GET /v1/holders/keys}'s {@code keys}): each with
     *                         holderId, keyId, jwk, validFrom, retiredAt
     */
    public static Result verify(String payload, String signature, Map<String, byte[]> certificateKeys,
                                List<Map<String, Object>> holderKeys) {
        List<String> problems = new ArrayList<>();
        JsonNode body;
        try {
            body = JSON.readTree(payload);
        } catch (java.io.IOException e) {
            return new Result(List.of("the payload is not JSON"));
        }
        String kid = body.path("keyId").asText(null);
        byte[] der = kid == null ? null : certificateKeys.get(kid);
        if (der == null) {
            problems.add("Pledge's key " + kid + " is not among the published certificate keys");
        } else if (!kid.equals(sha256(der))) {
            problems.add("Pledge's key " + kid + " is not the key its id names");
        } else if (!pledgeSignatureVerifies(der, payload, signature)) {
            problems.add("Pledge's signature does not verify");
        }
        Map<String, Map<String, Object>> published = new HashMap<>();
        for (Map<String, Object> k : holderKeys) {
            published.put(k.get("holderId") + " " + k.get("keyId"), k);
        }
        String requestId = body.path("requestId").asText();
        for (JsonNode h : body.path("holders")) {
            String holderId = h.path("holderId").asText();
            // resolved by the holder's offboarding: its statement is its acknowledgement of that offboarding
            String offboarding = h.has("resolvedByOffboarding") ? h.path("resolvedByOffboarding").asText() : null;
            if (!h.has("reply")) {
                problems.add("holder " + holderId + " has no signed statement");
                continue;
            }
            HolderReplied reply;
            try {
                reply = JSON.treeToValue(h.get("reply"), HolderReplied.class);
            } catch (java.io.IOException e) {
                problems.add("holder " + holderId + ": the statement is not a HolderReplied");
                continue;
            }
            if (offboarding != null) {
                if (!holderId.equals(reply.holderId()) || !offboarding.equals(String.valueOf(reply.requestId()))
                        || !"HolderOffboardingRequested".equals(reply.command()) || "FAILED".equals(reply.outcome())) {
                    problems.add("holder " + holderId + ": the statement is not its acknowledgement of offboarding "
                            + offboarding);
                }
            } else if (!holderId.equals(reply.holderId()) || !requestId.equals(String.valueOf(reply.requestId()))
                    || !h.path("outcome").asText().equals(reply.outcome())) {
                problems.add("holder " + holderId + ": the statement names another holder, request or outcome");
            }
            Map<String, Object> key = published.get(holderId + " " + reply.keyId());
            if (key == null) {
                problems.add("holder " + holderId + ": key " + reply.keyId() + " is not among its published keys");
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> jwk = (Map<String, Object>) key.get("jwk");
            Map<String, Object> embedded = h.has("replyKey") ? JSON.convertValue(h.get("replyKey"), Map.class) : null;
            if (embedded != null && !sameKey(embedded, jwk)) {
                problems.add("holder " + holderId + ": the embedded key differs from the published one");
            }
            Object retired = key.get("retiredAt");
            if (retired != null && reply.repliedAt() != null
                    && reply.repliedAt().isAfter(java.time.Instant.parse(retired.toString()))) {
                problems.add("holder " + holderId + ": key " + reply.keyId() + " was retired before the statement");
            }
            boolean ok;
            try {
                ok = ReplySignatures.verify(reply, ReplySignatures.publicKey(jwk));
            } catch (IllegalArgumentException e) {
                ok = false;
            }
            if (!ok) {
                problems.add("holder " + holderId + ": its signature does not verify");
            }
        }
        return new Result(List.copyOf(problems));
    }

    private static boolean sameKey(Map<String, Object> a, Map<String, Object> b) {
        return Objects.equals(a.get("kty"), b.get("kty")) && Objects.equals(a.get("crv"), b.get("crv"))
                && Objects.equals(a.get("x"), b.get("x")) && Objects.equals(a.get("y"), b.get("y"));
    }

    private static boolean pledgeSignatureVerifies(byte[] der, String payload, String signature) {
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(der));
            Signature s = Signature.getInstance("SHA256withECDSA");
            s.initVerify(key);
            s.update(payload.getBytes(StandardCharsets.UTF_8));
            return s.verify(Base64.getUrlDecoder().decode(signature));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String sha256(byte[] der) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The command line: certificate.json certificate-keys.json holder-keys.json. */
    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: CertificateVerifier certificate.json certificate-keys.json holder-keys.json");
            System.exit(2);
        }
        JsonNode cert = JSON.readTree(Files.readAllBytes(Path.of(args[0])));
        JsonNode certKeys = JSON.readTree(Files.readAllBytes(Path.of(args[1])));
        Map<String, byte[]> pledge = new HashMap<>();
        for (JsonNode k : certKeys.path("keys")) {
            pledge.put(k.path("keyId").asText(), Base64.getDecoder().decode(k.path("der").asText()));
        }
        Map<String, Object> holders = JSON.readValue(Files.readAllBytes(Path.of(args[2])), Map.class);
        Result r = verify(cert.path("payload").asText(), cert.path("signature").asText(), pledge,
                (List<Map<String, Object>>) holders.get("keys"));
        if (r.valid()) {
            System.out.println("valid: Pledge's signature and every holder's signed statement verify");
            return;
        }
        r.problems().forEach(p -> System.out.println("INVALID: " + p));
        System.exit(1);
    }
}
