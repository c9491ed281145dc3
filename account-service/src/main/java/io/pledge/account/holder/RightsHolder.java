package io.pledge.account.holder;

import io.pledge.account.config.AccountConfig;
import io.pledge.account.correction.CorrectionService;
import io.pledge.account.login.LoginService;
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
import java.util.function.Supplier;

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
    private final PurposeUse purposeUse;

    public RightsHolder(Erasure erasure, Outbox outbox, AccountConfig config, HolderSigner signer, PurposeUse purposeUse) {
        this.purposeUse = purposeUse;
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
     * Policy 6.4: account-service processes a consent-based purpose only by answering holders' contact lookups for
     * it ({@link PurposeUse}). A stop marks that use stopped, so lookups for the purpose are refused for the subject
     * from then on (until the subject consents again): {@code APPLIED} with {@code contact-lookup: 1}, or
     * {@code contact-lookup: 0} when a stop was already in force. {@code NOT_HELD} when nothing is processed here for
     * it: no account, no lookup ever answered for that purpose, a necessary purpose (never withdrawn), or a stop for
     * one recipient (account-service gives contact data to no recipient).
     */
    public void stopProcessing(ProcessingStopRequested e) {
        boolean necessary = config.holder().necessaryPurposes().contains(e.purposeId());
        int stopped = Account.findById(e.subjectId()) == null || necessary || e.recipientId() != null ? -1
                : purposeUse.stop(e.subjectId(), e.purposeId(), e.requestId());
        String outcome = stopped < 0 ? "NOT_HELD" : "APPLIED";
        Log.infof("processing stop %s of %s for subject %s: %s", e.requestId(), e.purposeId(), e.subjectId(), outcome);
        publish(new HolderReplied(e.requestId(), HOLDER_ID, e.subjectId(), "ProcessingStopRequested", outcome,
                stopped < 0 ? null : Map.of("contact-lookup", stopped), null, null, null, Instant.now()));
    }

    /**
     * Policy 5.3: the measures account-service takes for an incident touching what it holds. When credentials or
     * sessions are affected, every live session is revoked and every active account must reset its password:
     * {@code APPLIED} with {@code session} (sessions revoked) and {@code password-reset} (accounts newly forced).
     * {@code NOT_HELD} when no category is held here. For the other categories held here (contact values behind
     * audited lookups, data sealed per subject) there is no measure this service takes by itself: {@code FAILED}
     * with {@code NO_AUTOMATIC_MEASURE}, so the request is escalated to the officers rather than claimed done.
     */
    public void breachMeasures(BreachMeasuresRequested e, Supplier<LoginService.BreachRevocation> credentialMeasures) {
        boolean credentials = e.categories().contains("credentials") || e.categories().contains("session");
        boolean held = credentials || e.categories().stream().anyMatch(config.retention().categories()::contains);
        String outcome;
        Map<String, Integer> counts = null;
        if (!held) {
            outcome = "NOT_HELD";
        } else if (credentials) {
            LoginService.BreachRevocation r = credentialMeasures.get();
            counts = Map.of("session", r.sessionsRevoked(), "password-reset", r.passwordResetsForced());
            outcome = "APPLIED";
        } else {
            outcome = "FAILED";
        }
        Log.infof("breach measures %s for incident %s: %s %s", e.requestId(), e.incidentId(), outcome,
                counts == null ? "" : counts);
        publish(new HolderReplied(e.requestId(), HOLDER_ID, null, "BreachMeasuresRequested", outcome, counts, null,
                null, "FAILED".equals(outcome) ? "NO_AUTOMATIC_MEASURE" : null, Instant.now()));
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
