package io.pledge.account.holder;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.correction.CorrectionService;
import io.pledge.account.registration.Account;
import io.pledge.events.rights.BreachMeasuresRequested;
import io.pledge.events.rights.CorrectionRequested;
import io.pledge.events.rights.ErasureRequested;
import io.pledge.events.rights.ExportRequested;
import io.pledge.events.rights.HolderReplied;
import io.pledge.events.rights.ProcessingStopRequested;
import io.pledge.kit.holder.HolderSigner;
import io.pledge.kit.outbox.Outbox;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * account-service as a holder on {@code rights.commands}: erases, applies corrections and points to
 * its export, replying {@code HolderReplied} on {@code rights.replies} in the same transaction.
 */
@ApplicationScoped
@Transactional(Transactional.TxType.MANDATORY)
public class RightsHolder {

    public static final String HOLDER_ID = "account-service";

    /** Applies a correction's staged values (field injection keeps this holder's constructor as it is). */
    @jakarta.inject.Inject
    CorrectionService corrections;

    private final Erasure erasure;
    private final Outbox outbox;
    private final HolderSigner signer;
    private final AccountConfig config;

    public RightsHolder(Erasure erasure, Outbox outbox, AccountConfig config, HolderSigner signer) {
        this.signer = signer;
        this.erasure = erasure;
        this.outbox = outbox;
        this.config = config;
    }

    public static boolean addressedHere(List<String> holderIds) {
        return holderIds.contains(HOLDER_ID);
    }

    public void erase(ErasureRequested e) {
        boolean keep = !"RETENTION_EXPIRED".equals(e.ground()) && !"MINOR_UNCONSENTED".equals(e.ground());
        Erasure.Result r = erasure.erase(e.subjectId(), keep);
        String outcome = !r.retained().isEmpty() ? "RETAINED" : r.counts().isEmpty() ? "NOT_HELD" : "ERASED";
        Log.infof("erasure %s of subject %s: %s %s", e.requestId(), e.subjectId(), outcome, r.counts());
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ErasureRequested", outcome,
                r.counts().isEmpty() ? null : r.counts(), r.retained().isEmpty() ? null : r.retained(), null, null,
                Instant.now()));
    }

    /**
     * account-service is the source of the fields it holds: the subject staged each new value here for this request
     * (a new email or mobile proven by a code), and it is applied now that the request is verified
     * ({@link CorrectionService#apply}). {@code CORRECTED} with the fields changed per category; {@code NOT_HELD}
     * when none of the fields is held here; {@code FAILED} with a reason code, nothing changed, when a field has no
     * staged value.
     */
    public void correct(CorrectionRequested e) {
        CorrectionService.Outcome o = corrections.apply(e);
        Log.infof("correction %s of subject %s: %s %s", e.requestId(), e.subjectId(), o.outcome(),
                o.failureCode() != null ? o.failureCode() : o.counts());
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "CorrectionRequested", o.outcome(),
                o.counts(), null, null, o.failureCode(), Instant.now()));
    }

    /**
     * account-service processes contact data only for the necessary purposes; a holder's lookup for
     * any other purpose asks consent-service on every call and fails closed. A withdrawal therefore
     * already stops it here: {@code APPLIED}.
     */
    public void stopProcessing(ProcessingStopRequested e) {
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ProcessingStopRequested",
                "APPLIED", null, null, null, null, Instant.now()));
    }

    /**
     * Policy 5.3: the measures account-service takes for an incident touching what it holds. Contact
     * values are reached only through audited holder lookups, and credentials only as Argon2id
     * hashes; when credentials or sessions are affected every session is revoked and a password reset
     * is forced for every account. {@code APPLIED} when a category is held here, else {@code NOT_HELD}.
     */
    public void breachMeasures(BreachMeasuresRequested e, Runnable credentialMeasures) {
        boolean held = e.categories().stream().anyMatch(config.retention().categories()::contains)
                || e.categories().contains("credentials");
        if (held && (e.categories().contains("credentials") || e.categories().contains("session"))) {
            credentialMeasures.run();
        }
        publish(new HolderReplied(e.requestId(), HOLDER_ID, null, "BreachMeasuresRequested",
                held ? "APPLIED" : "NOT_HELD", null, null, null, null, Instant.now()));
    }

    public void export(ExportRequested e) {
        Account a = Account.findById(e.subjectId());
        if (a == null) {
            publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ExportRequested", "NOT_HELD",
                    null, null, null, null, Instant.now()));
            return;
        }
        String location = config.publicUrl().toString().replaceAll("/$", "") + "/v1/accounts/" + e.subjectId()
                + "/export?requestId=" + e.requestId();
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ExportRequested", "EXPORTED",
                Map.of("account", 1), null, location, null, Instant.now()));
    }

    /** Every reply leaves signed by this service's holder key (issue 16): rights-request-service counts no other. */
    private void publish(HolderReplied reply) {
        outbox.publish(signer.sign(reply));
    }
}
