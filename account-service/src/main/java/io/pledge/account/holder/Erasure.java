package io.pledge.account.holder;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.invitation.Invitations;
import io.pledge.account.usage.UsagePseudonyms;
import io.pledge.events.rights.HolderReplied;
import io.pledge.kit.crypto.SubjectKeyRing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Deletes everything account-service holds on a subject. A verified real-name record is kept for its
 * legal period when asked (policy 5.4), sealed, and the subject's key is then kept for it; otherwise
 * the key is shredded too, so copies in backups become unreadable (policy 6.3).
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class Erasure {

    private final EntityManager em;
    private final SubjectKeyRing keys;
    private final AccountConfig config;
    private final UsagePseudonyms usage;
    private final Invitations invitations;

    private final java.time.Duration accessTtl;

    public Erasure(EntityManager em, SubjectKeyRing keys, AccountConfig config, UsagePseudonyms usage,
                   Invitations invitations,
                   @org.eclipse.microprofile.config.inject.ConfigProperty(name = "pledge.jwt.access-token-ttl")
                   java.time.Duration accessTtl) {
        this.em = em;
        this.accessTtl = accessTtl;
        this.keys = keys;
        this.config = config;
        this.usage = usage;
        this.invitations = invitations;
    }

    /** What was deleted (rows per category) and what is kept, with basis and end date. */
    public record Result(Map<String, Integer> counts, List<HolderReplied.RetainedItem> retained, boolean shredded) {
    }

    /** What would be retained if the subject were erased now (told to the subject at cancellation). */
    public List<HolderReplied.RetainedItem> retainedOnErasure(UUID subject) {
        long verified = count("select count(*) from real_name_verification where subject_id = ?1 and status = 'VERIFIED'",
                subject);
        if (verified == 0) {
            return List.of();
        }
        return List.of(new HolderReplied.RetainedItem("real-name", config.retention().realNameBasis(),
                LocalDate.now(ZoneOffset.UTC).plus(config.retention().realNamePeriod())));
    }

    /**
     * @param keepRetained keep what the law requires (false when the retention period is over, or the
     *                     data was collected without a legal basis, e.g. a minor without guardian consent)
     */
    public Result erase(UUID subject, boolean keepRetained) {
        Map<String, Integer> counts = new TreeMap<>();
        List<HolderReplied.RetainedItem> retained = keepRetained ? retainedOnErasure(subject) : List.of();
        counts.put("verification-code", delete("delete from verification_code where subject_id = ?1", subject)
                + delete("delete from contact_change_notice where subject_id = ?1", subject));
        counts.put("session", endSessions(subject));
        counts.put("hold", delete("delete from cancellation_hold where subject_id = ?1", subject));
        counts.put("profile", delete("delete from profile where subject_id = ?1", subject));
        counts.put("purpose-use", delete("delete from purpose_use where subject_id = ?1", subject));
        counts.put("payment", delete("delete from payment_profile where subject_id = ?1", subject)
                + delete("delete from payment_disclosure where subject_id = ?1", subject));
        // usage records carry no subject id: the pseudonym is derived to find them
        counts.put("usage", em.createNativeQuery("delete from usage_record where pseudonym = ?1")
                .setParameter(1, usage.of(subject)).executeUpdate());
        // an invitee's address still waiting to be sent is sealed under the invitation's own key
        invitations.shredPending(subject);
        counts.put("invitation", delete("delete from invitation where inviter_id = ?1", subject));
        em.createNativeQuery("update account set guardian_id = null where guardian_id = ?1").setParameter(1, subject)
                .executeUpdate();
        counts.put("account", delete("delete from account where id = ?1", subject));
        if (retained.isEmpty()) {
            counts.put("real-name", delete("delete from real_name_verification where subject_id = ?1", subject));
        } else {
            counts.put("real-name", delete("delete from real_name_verification where subject_id = ?1 and status <> 'VERIFIED'",
                    subject));
            em.createNativeQuery("update real_name_verification set retained_until = ?2 where subject_id = ?1")
                    .setParameter(1, subject).setParameter(2, retained.get(0).until()).executeUpdate();
        }
        counts.values().removeIf(n -> n == 0);
        boolean shred = retained.isEmpty();
        if (shred) {
            keys.shred(subject);
        }
        return new Result(counts, retained, shred);
    }

    /**
     * Ends the subject's sessions: refresh tokens deleted (no new access token), ended sessions deleted, a live one cut
     * to the life of the access token already issued ({@code pledge.jwt.access-token-ttl} at most), so the subject
     * can still follow this request to its certificate; {@code Sweeps} deletes the rest once it ended. Returns how
     * many sessions were ended or deleted.
     */
    private int endSessions(UUID subject) {
        delete("delete from refresh_token where session_id in (select id from login_session where subject_id = ?1)",
                subject);
        int ended = delete("delete from login_session where subject_id = ?1 and (revoked_at is not null or expires_at <= now())",
                subject);
        int cut = em.createNativeQuery("update login_session set expires_at = least(expires_at, ?2), revoke_reason = 'ERASED' "
                        + "where subject_id = ?1 and revoked_at is null")
                .setParameter(1, subject).setParameter(2, java.time.Instant.now().plus(accessTtl)).executeUpdate();
        return ended + cut;
    }

    private int delete(String sql, UUID subject) {
        return em.createNativeQuery(sql).setParameter(1, subject).executeUpdate();
    }

    private long count(String sql, UUID subject) {
        return ((Number) em.createNativeQuery(sql).setParameter(1, subject).getSingleResult()).longValue();
    }
}
