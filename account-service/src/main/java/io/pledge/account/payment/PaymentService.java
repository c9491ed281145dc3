package io.pledge.account.payment;

import io.pledge.account.cessation.CollectionGate;
import io.pledge.account.config.AccountConfig;
import io.pledge.account.holder.AccessAudit;
import io.pledge.account.login.Caller;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.AccountService;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Scopes;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Payment data (policy 2.1.1(3)): the subject keeps a payment profile; only the payment holders
 * ({@code pledge.account.payment.holders}, billing) read it, for billing, audited; and it is given
 * to nobody but an affiliated payment processor ({@code affiliated-recipients}). A disclosure to
 * anyone else is refused, recorded, and changes nothing else.
 */
@ApplicationScoped
@Transactional
public class PaymentService {

    private final AccountConfig config;
    private final Caller caller;
    private final AccessAudit audit;
    private final CollectionGate gate;

    public PaymentService(AccountConfig config, Caller caller, AccessAudit audit, CollectionGate gate) {
        this.config = config;
        this.caller = caller;
        this.audit = audit;
        this.gate = gate;
    }

    /** One disclosure as the subject sees it: who asked, for whom, which fields, and the outcome. */
    public record Disclosure(UUID disclosureId, String requesterId, String recipientId, String purposeId,
                             List<String> fields, String outcome, String reason, Instant at) {
        static Disclosure of(PaymentDisclosure d) {
            return new Disclosure(d.id, d.requesterId, d.recipientId, d.purposeId, List.of(d.fields.split(",")),
                    d.outcome, d.reason, d.at);
        }
    }

    /** The subject's view: their profile (null when none) and every disclosure asked for. */
    public record Overview(UUID subjectId, PaymentDetails profile, Instant updatedAt, List<Disclosure> disclosures) {
    }

    /** A payment holder's read. */
    public record HolderRead(UUID subjectId, String purposeId, PaymentDetails profile) {
    }

    /** What a permitted disclosure hands over, for the recipient named. */
    public record Disclosed(UUID disclosureId, UUID subjectId, String recipientId, String purposeId, String outcome,
                            Map<String, String> values) {
    }

    /** Sets or replaces the caller's payment profile (a field left out is removed). */
    public Overview replace(UUID subject, PaymentDetails d) {
        Account a = caller.self(subject);
        // two saves at once apply one after the other (both would otherwise insert a profile; one would fail)
        Account.getEntityManager().refresh(a, LockModeType.PESSIMISTIC_WRITE);
        AccountService.requireActive(a);
        if (a.child) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "Payment data is not collected from a child (policy 7.4.2).");
        }
        if (d.providerToken().replaceAll("[^0-9]", "").length() >= 12 && d.providerToken().matches("^[0-9 ./:-]+$")) {
            throw new ProblemException(ProblemType.INVALID_INPUT,
                    "Give the payment processor's token, not a card or account number.", "providerToken");
        }
        PaymentProfile p = PaymentProfile.findById(subject);
        Map<String, String> before = p == null ? Map.of() : read(p).asMap();
        boolean adds = d.asMap().entrySet().stream()
                .anyMatch(e -> e.getValue() != null && before.get(e.getKey()) == null);
        if (adds) {
            gate.requireOpen();
        }
        if (p == null) {
            p = new PaymentProfile();
            p.subjectId = subject;
        }
        p.method = d.method();
        p.providerToken = PersonalString.of(subject, "providerToken", d.providerToken());
        p.accountHolder = seal(subject, "accountHolder", d.accountHolder());
        p.invoiceTitle = seal(subject, "invoiceTitle", d.invoiceTitle());
        p.taxId = seal(subject, "taxId", d.taxId());
        p.billingAddress = seal(subject, "billingAddress", d.billingAddress());
        p.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        p.persist();
        return overview(subject);
    }

    /** Removes the caller's payment profile; the disclosure record stays (it holds no values). */
    public void remove(UUID subject) {
        caller.self(subject);
        PaymentProfile.deleteById(subject);
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Overview own(UUID subject) {
        caller.self(subject);
        return overview(subject);
    }

    /** The subject's profile and disclosures, for their export. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Overview overview(UUID subject) {
        PaymentProfile p = PaymentProfile.findById(subject);
        List<Disclosure> ds = PaymentDisclosure.<PaymentDisclosure>list("subjectId = ?1 order by at", subject).stream()
                .map(Disclosure::of).toList();
        return new Overview(subject, p == null ? null : read(p), p == null ? null : p.updatedAt, ds);
    }

    /** A payment holder reads a subject's profile for billing; audited. */
    public HolderRead holderRead(UUID subject, String purposeId) {
        String holder = requirePaymentHolder();
        if (purposeId == null || !config.payment().purposes().contains(purposeId)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Payment data is read for billing only (policy 2.1.1(3)).",
                    "purposeId");
        }
        PaymentProfile p = find(subject);
        PaymentDetails d = read(p);
        audit.record(subject, holder, "HOLDER", present(d), purposeId);
        return new HolderRead(subject, purposeId, d);
    }

    /**
     * A payment holder asks to give fields of a subject's payment profile to a recipient. Only an
     * affiliated payment processor, for a billing purpose, gets them (audited with the recipient as
     * accessor); anyone else is an unrelated third party: refused with the reason, recorded, nothing
     * disclosed.
     */
    @Transactional(dontRollbackOn = DisclosureRefused.class)
    public Disclosed disclose(UUID subject, String recipientId, String purposeId, List<String> fields) {
        String holder = requirePaymentHolder();
        PaymentProfile p = find(subject);
        List<String> wanted = List.copyOf(new LinkedHashSet<>(fields == null || fields.isEmpty()
                ? PaymentDetails.FIELDS : fields));
        PaymentDisclosure d = new PaymentDisclosure();
        d.id = UUID.randomUUID();
        d.subjectId = subject;
        d.requesterId = holder;
        d.recipientId = recipientId;
        d.purposeId = purposeId;
        d.fields = String.join(",", wanted);
        d.at = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (!config.payment().affiliatedRecipients().contains(recipientId)) {
            refuse(d, "RECIPIENT_NOT_AFFILIATED");
            throw new DisclosureRefused("'" + recipientId + "' is not an affiliated payment processor: payment data is"
                    + " never given to unrelated third parties (policy 2.1.1(3)).", "recipientId");
        }
        if (!config.payment().purposes().contains(purposeId)) {
            refuse(d, "PURPOSE_NOT_BILLING");
            throw new DisclosureRefused("Payment data is disclosed for billing only (policy 2.1.1(3)).", "purposeId");
        }
        Map<String, String> all = read(p).asMap();
        Map<String, String> values = new LinkedHashMap<>();
        for (String f : wanted) {
            if (all.get(f) != null) {
                values.put(f, all.get(f));
            }
        }
        d.outcome = PaymentDisclosure.DISCLOSED;
        d.persist();
        audit.record(subject, recipientId, "HOLDER", List.copyOf(values.keySet()), purposeId);
        Log.infof("payment data of subject %s disclosed to %s at the request of %s", subject, recipientId, holder);
        return new Disclosed(d.id, subject, recipientId, purposeId, d.outcome, values);
    }

    private static void refuse(PaymentDisclosure d, String reason) {
        d.outcome = PaymentDisclosure.REFUSED;
        d.reason = reason;
        d.persist();
        Log.infof("payment disclosure of subject %s to %s refused: %s", d.subjectId, d.recipientId, reason);
    }

    /**
     * A configured payment holder, or the registry's own client of one ({@code holder-billing} once billing is
     * registered as a holder, rights-request-service's registry): the same holder, reached by erasure through the
     * registry. No other registered holder reads payment data, whatever scope it was granted.
     */
    private String requirePaymentHolder() {
        String client = caller.id();
        String holder = client != null && client.startsWith(Scopes.HOLDER_CLIENT_PREFIX)
                ? client.substring(Scopes.HOLDER_CLIENT_PREFIX.length()) : client;
        if (!config.payment().holders().contains(holder) || !AccessAudit.validAccessor(client)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "Only payment holders read or disclose payment data.");
        }
        return client;
    }

    private static PaymentProfile find(UUID subject) {
        PaymentProfile p = PaymentProfile.findById(subject);
        if (p == null || p.providerToken.isErased()) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No payment profile for that subject.");
        }
        return p;
    }

    private static List<String> present(PaymentDetails d) {
        return d.asMap().entrySet().stream().filter(e -> e.getValue() != null).map(Map.Entry::getKey).toList();
    }

    private static PaymentDetails read(PaymentProfile p) {
        return new PaymentDetails(p.method, v(p.providerToken), v(p.accountHolder), v(p.invoiceTitle), v(p.taxId),
                v(p.billingAddress));
    }

    private static PersonalString seal(UUID subject, String field, String value) {
        return value == null ? null : PersonalString.of(subject, field, value);
    }

    private static String v(PersonalString s) {
        return s == null || s.isErased() ? null : s.value();
    }

    /** A refused disclosure: a 403 problem that keeps the record of the refusal (no rollback). */
    public static class DisclosureRefused extends ProblemException {
        public DisclosureRefused(String detail, String field) {
            super(ProblemType.FORBIDDEN, detail, field);
        }
    }
}
