package io.pledge.account.holder;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.registration.Account;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Holder access to contact data (policy 5.2.3): answers only for a declared purpose that is either
 * necessary (configured) or permitted by consent-service for that subject, and records every answer
 * as {@code PersonalDataAccessed}. A child awaiting a guardian, or a cancelled account, is reachable
 * for necessary purposes only. An answered subject's preferred language for notices comes with the values
 * (it is not personal data: not one of the fields asked for or audited). A lookup answered for a consent-based
 * purpose is recorded in {@link PurposeUse}; a processing stop for the subject and purpose refuses it from then on.
 */
@ApplicationScoped
@Transactional
public class ContactLookup {

    public static final List<String> FIELDS = List.of("email", "mobile");

    private final AccountConfig config;
    private final ConsentClient consent;
    private final AccessAudit audit;
    private final PurposeUse uses;

    public ContactLookup(AccountConfig config, ConsentClient consent, AccessAudit audit, PurposeUse uses) {
        this.config = config;
        this.consent = consent;
        this.audit = audit;
        this.uses = uses;
    }

    /** One subject's answer: the values asked for and the locale to write to them in, or why none. */
    public record Contact(UUID subjectId, String outcome, String email, String mobile, String locale) {
        static Contact refused(UUID s, String outcome) {
            return new Contact(s, outcome, null, null, null);
        }
    }

    public List<Contact> lookup(String holderId, String purposeId, List<UUID> subjects, List<String> fields) {
        if (!AccessAudit.validAccessor(holderId)) {
            throw new ProblemException(ProblemType.FORBIDDEN, "The holder token's subject is not a client id.");
        }
        if (subjects.size() > config.holder().maxBatch()) {
            throw new ProblemException(ProblemType.INVALID_INPUT,
                    "At most " + config.holder().maxBatch() + " subject ids per call.", "subjectIds");
        }
        Set<String> wanted = new LinkedHashSet<>(fields == null || fields.isEmpty() ? FIELDS : fields);
        boolean necessary = config.holder().necessaryPurposes().contains(purposeId);
        List<UUID> distinct = List.copyOf(new LinkedHashSet<>(subjects));
        Map<UUID, Account> accounts = Account.<Account>list("id in ?1", distinct).stream()
                .collect(Collectors.toMap(a -> a.id, Function.identity()));
        List<UUID> askConsent = new ArrayList<>();
        for (UUID s : distinct) {
            Account a = accounts.get(s);
            if (a != null && !necessary && a.mayProcessBeyondRegistration()) {
                askConsent.add(s);
            }
        }
        Map<UUID, UUID> permittedBy = necessary ? Map.of() : consent.permittedBy(askConsent, purposeId);
        Map<UUID, PurposeUse.Use> used = necessary ? Map.of() : uses.of(List.copyOf(permittedBy.keySet()), purposeId);
        Set<UUID> permitted = necessary ? Set.copyOf(distinct) : permittedBy.keySet().stream()
                .filter(s -> !PurposeUse.refuses(used.get(s), permittedBy.get(s))).collect(Collectors.toSet());
        List<Contact> out = new ArrayList<>(distinct.size());
        List<String> fieldList = List.copyOf(wanted);
        for (UUID s : distinct) {
            Account a = accounts.get(s);
            if (a == null || a.email.isErased()) {
                out.add(Contact.refused(s, "NOT_FOUND"));
            } else if (!permitted.contains(s) || (!necessary && !a.mayProcessBeyondRegistration())) {
                out.add(Contact.refused(s, "NOT_PERMITTED"));
            } else {
                out.add(new Contact(s, "OK", wanted.contains("email") ? a.email.value() : null,
                        wanted.contains("mobile") ? a.mobile.value() : null, a.locale));
                audit.record(s, holderId, "HOLDER", fieldList, purposeId);
                if (!necessary) {
                    uses.answered(s, purposeId, permittedBy.get(s));
                }
            }
        }
        return out;
    }
}
