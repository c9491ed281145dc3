package io.pledge.consent.purpose;

import io.pledge.consent.ledger.ConsentRequests;
import io.pledge.consent.ledger.Sql;
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
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The purpose catalogue (policy 2.2, 2.3): kept in memory for the check API, loaded from the database at
 * start and updated when an addition commits. A purpose not in it is refused everywhere. Reads are not
 * transactional: the check API calls them on the event loop.
 */
@ApplicationScoped
public class PurposeCatalogue {

    private static final String COLUMNS = "id, description, clause, legal_basis, mechanism, data_categories, sensitive, core, "
            + "per_recipient, cross_border, tracking, marketing, created_at";

    private final EntityManager em;
    private final TransactionSynchronizationRegistry transactions;
    private final ConsentRequests requests;
    private final Map<String, Purpose> purposes = new ConcurrentHashMap<>();

    public PurposeCatalogue(EntityManager em, TransactionSynchronizationRegistry transactions, ConsentRequests requests) {
        this.em = em;
        this.transactions = transactions;
        this.requests = requests;
    }

    void load(@Observes StartupEvent start) {
        reload();
        Log.infof("purpose catalogue loaded: %d purposes", purposes.size());
    }

    @Transactional
    public void reload() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = em.createNativeQuery("select " + COLUMNS + " from purpose").getResultList();
        for (Object[] r : rows) {
            Purpose p = map(r);
            purposes.put(p.id(), p);
        }
    }

    /** The purpose, if the catalogue has it; never touches the database. */
    public Optional<Purpose> find(String id) {
        return id == null ? Optional.empty() : Optional.ofNullable(purposes.get(id));
    }

    /** The purpose, or a 422 problem naming {@code field} (policy 2.3: unknown purposes are refused). */
    public Purpose require(String id, String field) {
        return find(id).orElseThrow(() -> new ProblemException(ProblemType.UNPROCESSABLE,
                "The purpose is not in the catalogue; processing for it is refused (policy 2.3).", field));
    }

    public List<Purpose> all() {
        return purposes.values().stream().sorted(Comparator.comparing(Purpose::id)).toList();
    }

    /** Purposes a DNT or Sec-GPC signal opts out of. */
    public List<Purpose> tracking() {
        return all().stream().filter(Purpose::tracking).toList();
    }

    /**
     * Adds a purpose (privacy officer). A purpose that needs consent asks every known subject for it
     * ({@code ConsentRequested}, reason NEW_PURPOSE, policy 2.3), in batches after this commits.
     */
    @Transactional
    public Purpose add(Purpose p) {
        if (p.necessary() && "CONSENT".equals(p.legalBasis())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE,
                    "A necessary purpose needs a legal basis other than consent (policy 2.4).", "legalBasis");
        }
        if (!p.necessary() && !"CONSENT".equals(p.legalBasis()) && !"ANONYMISED_2_4_9".equals(p.legalBasis())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE,
                    "A purpose asking for consent must have the legal basis CONSENT (or ANONYMISED_2_4_9 for opt-out).",
                    "legalBasis");
        }
        if (p.crossBorder() && !p.perRecipient()) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "A cross-border purpose must name its recipient.",
                    "perRecipient");
        }
        int inserted = em.createNativeQuery("insert into purpose (" + COLUMNS + ") values "
                        + "(?1, ?2, ?3, ?4, ?5, cast(?6 as text[]), ?7, ?8, ?9, ?10, ?11, ?12, ?13) on conflict (id) do nothing")
                .setParameter(1, p.id()).setParameter(2, p.description()).setParameter(3, p.clause())
                .setParameter(4, p.legalBasis()).setParameter(5, p.mechanism())
                .setParameter(6, "{" + String.join(",", p.dataCategories()) + "}")
                .setParameter(7, p.sensitive()).setParameter(8, p.core()).setParameter(9, p.perRecipient())
                .setParameter(10, p.crossBorder()).setParameter(11, p.tracking()).setParameter(12, p.marketing())
                .setParameter(13, Timestamp.from(p.createdAt()))
                .executeUpdate();
        if (inserted == 0) {
            throw new ProblemException(ProblemType.CONFLICT, "A purpose with this id already exists.", "id");
        }
        if (!p.necessary()) {
            requests.schedule(p.id(), ConsentRequests.NEW_PURPOSE, null);
        }
        AfterCommit.run(transactions, () -> purposes.put(p.id(), p));
        Log.infof("purpose %s added (%s, %s)", p.id(), p.legalBasis(), p.mechanism());
        return p;
    }

    private static Purpose map(Object[] r) {
        return new Purpose((String) r[0], (String) r[1], (String) r[2], (String) r[3], (String) r[4], Sql.strings(r[5]),
                (Boolean) r[6], (Boolean) r[7], (Boolean) r[8], (Boolean) r[9], (Boolean) r[10], (Boolean) r[11],
                Sql.instant(r[12]));
    }
}
