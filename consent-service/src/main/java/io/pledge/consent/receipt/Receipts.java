package io.pledge.consent.receipt;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.consent.config.ConsentConfig;
import io.pledge.consent.ledger.ConsentRecord;
import io.pledge.consent.ledger.Sql;
import io.pledge.consent.purpose.Purpose;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Consent receipts (policy 6.4): one per ledger change, with the fields of the Kantara Consent Receipt
 * v1.1 and ISO/IEC TS 27560 (record id, DPV status, actor, policy version), signed as a compact JWS
 * (ES256) by {@link ReceiptSigner}. The receipt names the subject by its pseudonymous id only.
 */
@ApplicationScoped
@Transactional
public class Receipts {

    public static final String TYPE = "consent-receipt+jwt";

    /** A stored receipt: the signed JWS and, for convenience, its claims. */
    public record Receipt(UUID receiptId, UUID recordId, UUID subjectId, Instant issuedAt, String keyId, String jws,
                          Map<String, Object> claims) {
    }

    private final EntityManager em;
    private final ReceiptSigner signer;
    private final ConsentConfig config;
    private final ObjectMapper json;

    public Receipts(EntityManager em, ReceiptSigner signer, ConsentConfig config, ObjectMapper json) {
        this.em = em;
        this.signer = signer;
        this.config = config;
        this.json = json;
    }

    /** Signs and stores the receipt of one ledger record, in the caller's transaction. */
    @Transactional(Transactional.TxType.MANDATORY)
    public UUID issue(ConsentRecord r, Purpose p) {
        UUID receiptId = UUID.randomUUID();
        Map<String, Object> claims = claims(receiptId, r, p);
        String jws;
        try {
            jws = signer.sign(json.writeValueAsString(claims), TYPE);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("receipt claims not serialisable", e);
        }
        em.createNativeQuery("insert into consent_receipt (id, record_id, subject_id, issued_at, key_id, jws) "
                        + "values (?1, ?2, ?3, ?4, ?5, ?6)")
                .setParameter(1, receiptId).setParameter(2, r.id).setParameter(3, r.subjectId)
                .setParameter(4, Sql.time(r.recordedAt)).setParameter(5, signer.keyId()).setParameter(6, jws)
                .executeUpdate();
        return receiptId;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<Receipt> find(UUID subject, UUID receiptId) {
        return query("where subject_id = ?1 and id = ?2", subject, receiptId).stream().findFirst();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Receipt> forSubject(UUID subject) {
        return query("where subject_id = ?1 order by issued_at, id", subject, null);
    }

    private List<Receipt> query(String where, UUID subject, UUID id) {
        var q = em.createNativeQuery("select id, record_id, subject_id, issued_at, key_id, jws from consent_receipt " + where)
                .setParameter(1, subject);
        if (id != null) {
            q.setParameter(2, id);
        }
        @SuppressWarnings("unchecked")
        List<Object[]> rows = q.getResultList();
        List<Receipt> out = new ArrayList<>();
        for (Object[] r : rows) {
            String jws = (String) r[5];
            out.add(new Receipt(Sql.uuid(r[0]), Sql.uuid(r[1]), Sql.uuid(r[2]), Sql.instant(r[3]), (String) r[4], jws,
                    payload(jws)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> payload(String jws) {
        try {
            String body = new String(java.util.Base64.getUrlDecoder().decode(jws.split("\\.")[1]),
                    java.nio.charset.StandardCharsets.UTF_8);
            return json.readValue(body, Map.class);
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("stored receipt unreadable", e);
        }
    }

    private Map<String, Object> claims(UUID receiptId, ConsentRecord r, Purpose p) {
        ConsentConfig.Controller c = config.controller();
        Map<String, Object> controller = new LinkedHashMap<>();
        controller.put("piiController", c.name());
        controller.put("contact", "Customer Service");
        controller.put("address", c.address());
        controller.put("email", c.email());
        controller.put("phone", c.phone());
        controller.put("onBehalf", false);

        Map<String, Object> purpose = new LinkedHashMap<>();
        purpose.put("purpose", p.description());
        purpose.put("purposeCategory", List.of(p.id()));
        purpose.put("consentType", r.explicitConfirmation || p.sensitive() ? "EXPLICIT" : "EXPRESSED");
        purpose.put("piiCategory", p.dataCategories());
        purpose.put("primaryPurpose", p.core());
        purpose.put("termination", r.expiresAt != null ? r.expiresAt.toString() : "until withdrawn");
        purpose.put("thirdPartyDisclosure", r.recipientId != null);
        if (r.recipientId != null) {
            purpose.put("thirdPartyName", r.recipientId);
        }
        purpose.put("legalBasis", p.legalBasis());

        Map<String, Object> m = new LinkedHashMap<>();
        // Kantara Consent Receipt v1.1
        m.put("version", "KI-CR-v1.1.0");
        m.put("jurisdiction", c.jurisdiction());
        m.put("consentTimestamp", r.recordedAt.getEpochSecond());
        m.put("collectionMethod", r.channel);
        m.put("consentReceiptID", receiptId.toString());
        m.put("language", "en");
        m.put("piiPrincipalId", r.subjectId.toString());
        m.put("piiControllers", List.of(controller));
        m.put("policyUrl", config.publicUrl() + "/v1/policy-versions/" + r.policyVersion);
        m.put("services", List.of(Map.of("service", "Qiniu Cloud", "purposes", List.of(purpose))));
        m.put("sensitive", p.sensitive());
        m.put("spiCat", p.sensitive() ? p.dataCategories() : List.of());
        // ISO/IEC TS 27560 consent record fields (statuses as W3C DPV)
        m.put("recordId", r.id.toString());
        m.put("status", r.status);
        m.put("dpvStatus", "dpv:" + switch (r.status) {
            case "GIVEN" -> "ConsentGiven";
            case "REFUSED" -> "ConsentRefused";
            case "WITHDRAWN" -> "ConsentWithdrawn";
            case "EXPIRED" -> "ConsentExpired";
            default -> "ConsentRequested";
        });
        m.put("statusTime", r.recordedAt.toString());
        m.put("purposeId", p.id());
        m.put("policyVersion", r.policyVersion);
        m.put("actor", r.actor);
        if (r.actorId != null) {
            m.put("actorId", r.actorId.toString());
        }
        if (r.region != null) {
            m.put("region", r.region);
        }
        if (r.signal != null) {
            m.put("signal", r.signal);
        }
        if (r.transferTerms != null) {
            try {
                m.put("transfer", json.readValue(r.transferTerms, Map.class));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("transfer terms unreadable", e);
            }
        }
        m.put("iss", config.publicUrl());
        m.put("iat", Instant.now().getEpochSecond());
        return m;
    }
}
