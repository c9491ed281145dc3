package io.pledge.account.profile;

import io.pledge.account.cessation.CollectionGate;
import io.pledge.account.registration.Account;
import io.pledge.events.account.ProfileChanged;
import io.pledge.kit.crypto.PersonalString;
import io.pledge.kit.outbox.Outbox;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Reads and replaces the optional profile and the preferred language for notices; publishes
 * {@code ProfileChanged} with the names of changed optional fields only (the locale is not personal data and
 * is on no event).
 */
@ApplicationScoped
@Transactional
public class ProfileService {

    public static final List<String> FIELDS = List.of("province", "city", "nickname", "address", "qq", "website");

    private final Outbox outbox;
    private final CollectionGate gate;

    public ProfileService(Outbox outbox, CollectionGate gate) {
        this.outbox = outbox;
        this.gate = gate;
    }

    @Transactional(Transactional.TxType.SUPPORTS)
    public ProfileFields read(UUID subject) {
        Account a = Account.findById(subject);
        String locale = a == null ? Account.DEFAULT_LOCALE : a.locale;
        Profile p = Profile.findById(subject);
        if (p == null) {
            return new ProfileFields(null, null, null, null, null, null, locale);
        }
        return new ProfileFields(v(p.province), v(p.city), v(p.nickname), v(p.address), v(p.qq), v(p.website), locale);
    }

    /**
     * Replaces the whole profile: an optional field left out is removed; a locale left out is kept. When no
     * optional field changes, nothing is published.
     */
    public ProfileFields replace(UUID subject, ProfileFields next) {
        lockAccount(subject);
        ProfileFields before = read(subject);
        String locale = before.locale();
        if (next.locale() != null && !next.locale().equals(locale)) {
            Account a = Account.findById(subject);
            a.locale = next.locale();
            locale = next.locale();
        }
        Map<String, String> old = before.asMap();
        Map<String, String> neu = next.asMap();
        List<String> added = new ArrayList<>();
        List<String> changed = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String f : FIELDS) {
            String o = old.get(f);
            String n = neu.get(f);
            if (o == null && n != null) {
                added.add(f);
            } else if (o != null && n == null) {
                removed.add(f);
            } else if (!Objects.equals(o, n)) {
                changed.add(f);
            }
        }
        if (added.isEmpty() && changed.isEmpty() && removed.isEmpty()) {
            return withLocale(before, locale);
        }
        if (!added.isEmpty()) {
            gate.requireOpen();
        }
        Profile p = Profile.findById(subject);
        if (p == null) {
            p = new Profile();
            p.subjectId = subject;
        }
        p.province = seal(subject, "province", next.province());
        p.city = seal(subject, "city", next.city());
        p.nickname = seal(subject, "nickname", next.nickname());
        p.address = seal(subject, "address", next.address());
        p.qq = seal(subject, "qq", next.qq());
        p.website = seal(subject, "website", next.website());
        p.updatedAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
        p.persist();
        outbox.publish(new ProfileChanged(subject, added, changed, removed, p.updatedAt));
        return withLocale(next, locale);
    }

    /**
     * Sets corrected values (policy 6.2) of optional fields that have a value; a field without one is not set (that
     * would be collecting it, not correcting it). Publishes {@code ProfileChanged} naming the changed fields; returns
     * them.
     */
    public List<String> correct(UUID subject, Map<String, String> values) {
        if (values.isEmpty()) {
            return List.of();
        }
        lockAccount(subject);
        Map<String, String> m = read(subject).asMap();
        List<String> changed = new ArrayList<>();
        values.forEach((f, v) -> {
            if (FIELDS.contains(f) && m.get(f) != null && v != null && !m.get(f).equals(v)) {
                m.put(f, v);
                changed.add(f);
            }
        });
        if (!changed.isEmpty()) {
            replace(subject, new ProfileFields(m.get("province"), m.get("city"), m.get("nickname"), m.get("address"),
                    m.get("qq"), m.get("website"), null));
        }
        return changed;
    }

    /** Removes one field. */
    public ProfileFields remove(UUID subject, String field) {
        if (!FIELDS.contains(field)) {
            throw new ProblemException(ProblemType.NOT_FOUND, "No such profile field.", "field");
        }
        Map<String, String> m = read(subject).asMap();
        m.put(field, null);
        return replace(subject, new ProfileFields(m.get("province"), m.get("city"), m.get("nickname"), m.get("address"),
                m.get("qq"), m.get("website"), null));
    }

    /**
     * Serialises saves of one subject's profile on the account row, so that two at once apply one after the other:
     * without it both would see no profile, both insert one, and the second would fail at commit. The row is read
     * again under the lock, so the locale compared below is the committed one, not one loaded before the wait.
     */
    static void lockAccount(UUID subject) {
        Account a = Account.findById(subject);
        if (a != null) {
            Account.getEntityManager().refresh(a, LockModeType.PESSIMISTIC_WRITE);
        }
    }

    private static ProfileFields withLocale(ProfileFields f, String locale) {
        return new ProfileFields(f.province(), f.city(), f.nickname(), f.address(), f.qq(), f.website(), locale);
    }

    private static PersonalString seal(UUID subject, String field, String value) {
        return value == null ? null : PersonalString.of(subject, field, value);
    }

    private static String v(PersonalString s) {
        return s == null || s.isErased() ? null : s.value();
    }
}
