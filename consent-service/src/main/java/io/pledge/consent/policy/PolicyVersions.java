package io.pledge.consent.policy;

import io.pledge.consent.config.ConsentConfig;
import io.pledge.consent.ledger.ConsentRequests;
import io.pledge.consent.ledger.Sql;
import io.pledge.consent.purpose.Purpose;
import io.pledge.consent.purpose.PurposeCatalogue;
import io.pledge.events.consent.PolicyVersionPublished;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.tx.AfterCommit;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.transaction.TransactionSynchronizationRegistry;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Privacy-policy versions (policy 9): publishing, the version in force, and every earlier version kept
 * for review (9.4). A material version needs at least {@code pledge.consent.material-notice} of notice
 * (9.2); publishing announces it ({@code PolicyVersionPublished}, which notification-service turns into
 * notices to every subject) and asks for re-consent on the purposes it changes.
 */
@ApplicationScoped
@Transactional
public class PolicyVersions {

    private final EntityManager em;
    private final Outbox outbox;
    private final ConsentConfig config;
    private final PurposeCatalogue catalogue;
    private final ConsentRequests requests;
    private final TransactionSynchronizationRegistry transactions;
    private final List<PolicyVersion> versions = new CopyOnWriteArrayList<>();

    public PolicyVersions(EntityManager em, Outbox outbox, ConsentConfig config, PurposeCatalogue catalogue,
                          ConsentRequests requests, TransactionSynchronizationRegistry transactions) {
        this.em = em;
        this.outbox = outbox;
        this.config = config;
        this.catalogue = catalogue;
        this.requests = requests;
        this.transactions = transactions;
    }

    void load(@Observes StartupEvent start) {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select version, content_sha256, summary, effective_at, material, "
                + "changed_purposes, published_at from policy_version").getResultList();
        List<PolicyVersion> loaded = new ArrayList<>();
        for (Object[] r : rows) {
            loaded.add(new PolicyVersion((String) r[0], ((String) r[1]).trim(), (String) r[2], Sql.instant(r[3]),
                    (Boolean) r[4], Sql.strings(r[5]), Sql.instant(r[6])));
        }
        versions.clear();
        versions.addAll(loaded);
    }

    /** The version in force now: the latest whose effective date has come. */
    public PolicyVersion current() {
        Instant now = Instant.now();
        return versions.stream().filter(v -> !v.effectiveAt().isAfter(now))
                .max(Comparator.comparing(PolicyVersion::effectiveAt).thenComparing(PolicyVersion::publishedAt))
                .orElseThrow(() -> new IllegalStateException("no policy version in force; the migration seeds one"));
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public List<PolicyVersion> all() {
        return versions.stream().sorted(Comparator.comparing(PolicyVersion::effectiveAt)
                .thenComparing(PolicyVersion::publishedAt)).toList();
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<PolicyVersion> find(String version) {
        return versions.stream().filter(v -> v.version().equals(version)).findFirst();
    }

    /** The published text of a version. */
    @Transactional(Transactional.TxType.SUPPORTS)
    public Optional<String> text(String version) {
        @SuppressWarnings("unchecked")
        List<String> rows = em.createNativeQuery("select content from policy_version where version = ?1")
                .setParameter(1, version).getResultList();
        return rows.stream().findFirst();
    }

    /** Publishes a version; refuses a material one with too little notice (9.2) or a purpose not in the catalogue. */
    public PolicyVersion publish(String version, String text, String summary, Instant effectiveAt, boolean material,
                                 List<String> changedPurposes, String publishedBy) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        if (material && effectiveAt.isBefore(now.plus(config.materialNotice()))) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "A material change must be notified at least "
                    + config.materialNotice().toDays() + " days before it takes effect (policy 9.2).", "effectiveAt");
        }
        if (!material && effectiveAt.isBefore(now.minus(1, ChronoUnit.MINUTES))) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "A version cannot take effect in the past.", "effectiveAt");
        }
        List<String> changed = List.copyOf(new LinkedHashSet<>(changedPurposes));
        for (String p : changed) {
            catalogue.require(p, "changedPurposes");
        }
        String sha = sha256(text);
        int inserted = em.createNativeQuery("insert into policy_version (version, content_sha256, content, summary, "
                        + "effective_at, material, changed_purposes, published_at, published_by) values "
                        + "(?1, ?2, ?3, ?4, ?5, ?7, cast(?6 as text[]), ?8, ?9) on conflict (version) do nothing")
                .setParameter(1, version).setParameter(2, sha).setParameter(3, text).setParameter(4, summary)
                .setParameter(5, Timestamp.from(effectiveAt)).setParameter(6, Sql.textArray(changed))
                .setParameter(7, material).setParameter(8, Timestamp.from(now)).setParameter(9, publishedBy)
                .executeUpdate();
        if (inserted == 0) {
            throw new ProblemException(ProblemType.CONFLICT, "This version was already published; versions never change.",
                    "version");
        }
        PolicyVersion published = new PolicyVersion(version, sha, summary, effectiveAt, material, changed, now);
        outbox.publish(new PolicyVersionPublished(version, sha, effectiveAt, material, changed, now));
        if (material) {
            for (String p : changed) {
                Purpose purpose = catalogue.require(p, "changedPurposes");
                if (!purpose.necessary()) {
                    requests.schedule(p, ConsentRequests.POLICY_CHANGE, version);
                }
            }
        }
        AfterCommit.run(transactions, () -> versions.add(published));
        Log.infof("policy version %s published (material %s, effective %s)", version, material, effectiveAt);
        return published;
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
