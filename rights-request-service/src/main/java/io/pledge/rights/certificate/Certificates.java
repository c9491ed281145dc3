package io.pledge.rights.certificate;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.pledge.rights.ledger.LedgerEntry;
import io.pledge.rights.registry.HolderKey;
import io.pledge.rights.requests.RightsRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Issues the signed certificate of a completed erasure: every expected holder's outcome and time, retained items with
 * their legal basis and end date, and each holder's own signed reply ({@code reply}: the HolderReplied with its
 * {@code keyId} and {@code signature}) with the public JWK that verified it ({@code replyKey}). The payload is compact JSON with keys sorted; the signature covers its UTF-8 bytes.
 */
@ApplicationScoped
public class Certificates {

    public static final String FORMAT = "pledge-erasure-certificate/v1";

    private static final ObjectMapper CANONICAL = new ObjectMapper().registerModule(new JavaTimeModule())
            .configure(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS, false)
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    private final CertificateKeys keys;

    public Certificates(CertificateKeys keys) {
        this.keys = keys;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public Certificate issue(RightsRequest r, List<LedgerEntry> entries, Instant at) {
        UUID id = UUID.randomUUID();
        Map<String, Object> body = new TreeMap<>();
        body.put("format", FORMAT);
        body.put("certificateId", id.toString());
        body.put("requestId", r.id.toString());
        body.put("subjectId", r.subjectId.toString());
        body.put("requestType", r.type);
        body.put("ground", r.ground);
        body.put("submittedAt", r.submittedAt.toString());
        if (r.verifiedAt != null) {
            body.put("verifiedAt", r.verifiedAt.toString());
        }
        body.put("completedAt", at.toString());
        body.put("issuedAt", at.toString());
        body.put("algorithm", "ES256 (SHA256withECDSA, DER signature, base64url)");
        List<Map<String, Object>> holders = new ArrayList<>();
        for (LedgerEntry e : entries) {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("holderId", e.holderId());
            h.put("outcome", e.outcome);
            h.put("at", e.repliedAt == null ? null : e.repliedAt.toString());
            if (e.counts != null) {
                h.put("counts", e.counts);
            }
            if (e.retained != null) {
                h.put("retained", e.retained);
            }
            if (e.resolvedBy != null) {
                h.put("resolvedByOffboarding", e.resolvedBy.toString());
            }
            if (e.signedReply != null) {
                // the holder's own signed statement and the public key that verified it, checkable offline
                // (io.pledge.events.rights.CertificateVerifier) beside this service's signature over the whole
                h.put("reply", e.signedReply);
                HolderKey key = HolderKey.find(e.holderId(), (String) e.signedReply.get("keyId"));
                if (key != null) {
                    h.put("replyKey", key.jwk);
                }
            }
            holders.add(h);
        }
        body.put("holders", holders);
        // the payload names the key that signs it: when a rotation lands between reading the key id and signing,
        // sign again under the new one
        String payload;
        CertificateKeys.Signed signed;
        String keyId = keys.keyId();
        do {
            body.put("keyId", keyId);
            try {
                payload = CANONICAL.writeValueAsString(body);
            } catch (JsonProcessingException ex) {
                throw new IllegalStateException("cannot write a certificate", ex);
            }
            signed = keys.sign(payload.getBytes(StandardCharsets.UTF_8));
            keyId = signed.keyId();
        } while (!keyId.equals(body.get("keyId")));
        Certificate c = new Certificate();
        c.id = id;
        c.requestId = r.id;
        c.subjectId = r.subjectId;
        c.payload = payload;
        c.signature = signed.signature();
        c.keyId = signed.keyId();
        c.issuedAt = at;
        c.persist();
        return c;
    }
}
