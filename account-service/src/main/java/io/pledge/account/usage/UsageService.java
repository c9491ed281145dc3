package io.pledge.account.usage;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.holder.AccessAudit;
import io.pledge.account.login.Caller;
import io.pledge.account.registration.Account;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * Device, log and location data (policy 2.1.2). Once a record is tied to an account it is personal
 * data, so it is stored de-identified: a pseudonym instead of the subject id, the network instead of
 * the client address. The subject sees their own records; anyone else sees them tied to an account
 * only in a configured role, for a configured purpose, and every such re-identification is recorded
 * as {@code PersonalDataAccessed}. Analysts get records by pseudonym only.
 */
@ApplicationScoped
@Transactional
public class UsageService {

    private final AccountConfig config;
    private final UsagePseudonyms pseudonyms;
    private final Caller caller;
    private final AccessAudit audit;

    public UsageService(AccountConfig config, UsagePseudonyms pseudonyms, Caller caller, AccessAudit audit) {
        this.config = config;
        this.pseudonyms = pseudonyms;
        this.caller = caller;
        this.audit = audit;
    }

    /** A usage record as its subject, or an authorised re-identifier, sees it. */
    public record Usage(UUID recordId, String action, String deviceModel, String os, String appVersion, String language,
                        String areaId, String network, Instant recordedAt) {
        static Usage of(UsageRecord r) {
            return new Usage(r.id, r.action, r.deviceModel, r.os, r.appVersion, r.language, r.areaId, r.network,
                    r.recordedAt);
        }
    }

    /** A subject's records, re-identified for an authorised purpose. */
    public record Reidentified(UUID subjectId, String purposeId, List<Usage> records) {
    }

    /** A de-identified record, for statistics: the pseudonym, never the subject. */
    public record Pseudonymous(String pseudonym, String action, String deviceModel, String os, String appVersion,
                               String language, String areaId, String network, Instant recordedAt) {
    }

    /** Records one use by the calling subject; the client address is kept as its network only. */
    public Usage record(UUID subject, UsageReport r, String clientAddress) {
        Account a = caller.self(subject);
        if (!a.mayProcessBeyondRegistration()) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "Only registration data is processed until a guardian has linked and consented (policy 7).", "status");
        }
        UsageRecord u = new UsageRecord();
        u.id = UUID.randomUUID();
        u.pseudonym = pseudonyms.of(subject);
        u.action = r.action();
        u.deviceModel = r.deviceModel();
        u.os = r.os();
        u.appVersion = r.appVersion();
        u.language = r.language();
        u.areaId = r.areaId() == null ? null : r.areaId().toUpperCase(Locale.ROOT);
        u.network = ClientNetworks.truncate(clientAddress, config.usage().ipv4Prefix(), config.usage().ipv6Prefix());
        u.recordedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        u.persist();
        return Usage.of(u);
    }

    /** The caller's own records, newest first (at most {@code limit}). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Usage> own(UUID subject, int limit) {
        caller.self(subject);
        return ofSubject(subject, limit);
    }

    /** Every record of a subject, for the subject's export. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Usage> ofSubject(UUID subject, int limit) {
        return UsageRecord.<UsageRecord>find("pseudonym = ?1 order by recordedAt desc", pseudonyms.of(subject))
                .page(0, limit).list().stream().map(Usage::of).toList();
    }

    /**
     * Ties a subject's records back to the account: only a caller in a configured role, for a
     * configured purpose; audited. Refusals change nothing.
     */
    public Reidentified reidentify(UUID subject, String purposeId, int limit) {
        String role = config.usage().reidentifierRoles().stream().filter(caller::has).sorted().findFirst().orElseThrow(
                () -> new ProblemException(ProblemType.FORBIDDEN,
                        "Usage records are tied to an account only for an authorised role (policy 2.1.2)."));
        if (purposeId == null || !config.usage().reidentificationPurposes().contains(purposeId)) {
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "Usage records are tied to an account only for an authorised purpose: "
                            + String.join(", ", config.usage().reidentificationPurposes().stream().sorted().toList()) + ".",
                    "purposeId");
        }
        if (!AccessAudit.validAccessor(caller.id())) {
            throw new ProblemException(ProblemType.FORBIDDEN, "The token's subject cannot be named as an accessor.");
        }
        if (Account.findById(subject) == null) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such account.");
        }
        List<Usage> records = ofSubject(subject, limit);
        audit.record(subject, caller.id(), role.toUpperCase(Locale.ROOT).replace('-', '_'), List.of("usage"), purposeId);
        return new Reidentified(subject, purposeId, records);
    }

    /** De-identified records since a time, oldest first, for statistics (policy 2.2.2). */
    @Transactional(Transactional.TxType.SUPPORTS)
    public List<Pseudonymous> pseudonymous(Instant since, int limit) {
        return UsageRecord.<UsageRecord>find("recordedAt > ?1 order by recordedAt", since).page(0, limit).list().stream()
                .map(r -> new Pseudonymous(r.pseudonym, r.action, r.deviceModel, r.os, r.appVersion, r.language,
                        r.areaId, r.network, r.recordedAt))
                .toList();
    }

    /** Deletes a subject's records (erasure), found by the derived pseudonym. */
    @Transactional(Transactional.TxType.MANDATORY)
    public int erase(UUID subject) {
        return (int) UsageRecord.delete("pseudonym", pseudonyms.of(subject));
    }

    /** Deletes records past their retention. */
    @Scheduled(every = "1h", delayed = "2m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void expire() {
        UsageRecord.delete("recordedAt < ?1", Instant.now().minus(config.usage().retention()));
    }
}
