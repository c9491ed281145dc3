package io.pledge.account.verification;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.pledge.account.correction.CorrectionService;
import io.pledge.account.login.LoginService;
import io.pledge.account.minors.GuardianService;
import io.pledge.account.registration.Account;
import io.pledge.account.registration.ContactValues;
import io.pledge.account.registration.LookupKey;
import io.pledge.account.registration.RegistrationService;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.UUID;

/**
 * What a verified code does, by its purpose: completes a registration, logs in, resets a password,
 * applies a new email or mobile, or proves one staged for a correction. Requesting a code for a login id answers the same whether an
 * account has it or not.
 */
@ApplicationScoped
@Transactional(dontRollbackOn = {Verifications.WrongCode.class})
public class VerificationFlow {

    private final Verifications verifications;
    private final RegistrationService registration;
    private final LoginService login;
    private final GuardianService guardians;
    private final LookupKey lookup;
    private final CorrectionService corrections;

    public VerificationFlow(Verifications verifications, RegistrationService registration, LoginService login,
                            GuardianService guardians, LookupKey lookup, CorrectionService corrections) {
        this.corrections = corrections;
        this.verifications = verifications;
        this.registration = registration;
        this.login = login;
        this.guardians = guardians;
        this.lookup = lookup;
    }

    /** The answer to a confirmed code; only the parts its purpose produces are present. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Confirmed(UUID subjectId, String purpose, String channel, String status, LoginService.Tokens tokens,
                            String guardianLinkCode) {
    }

    /** A code for LOGIN or PASSWORD_RESET to a verified login id; a decoy id for an unknown one. */
    public Verifications.Issued request(String purpose, String rawLogin, String clientAddress) {
        String channel = ContactValues.channelOf(rawLogin);
        String normalised = ContactValues.normalise(channel, rawLogin, "login");
        String lk = lookup.hash(channel, normalised);
        Account a = login.byLogin(channel, normalised);
        if (a == null) {
            return verifications.decoy(channel, lk, clientAddress);
        }
        return verifications.issue(a, purpose, channel, lk, null, clientAddress);
    }

    public Confirmed confirm(UUID id, String purpose, String code, String newPassword, String clientAddress) {
        if (VerificationCode.PASSWORD_RESET.equals(purpose)) {
            registration.checkPassword(newPassword, "newPassword");
        } else if (newPassword != null) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "newPassword belongs to a PASSWORD_RESET only.",
                    "newPassword");
        }
        VerificationCode v = verifications.consume(id, purpose, code, clientAddress);
        switch (v.purpose) {
            case VerificationCode.REGISTRATION -> {
                Account a = registration.contactVerified(v);
                String link = Account.PENDING_GUARDIAN.equals(a.status) && a.guardianLinkHash == null
                        ? guardians.issueLinkCode(a) : null;
                return new Confirmed(a.id, v.purpose, v.channel, a.status, null, link);
            }
            case VerificationCode.LOGIN -> {
                Account a = Account.findById(v.subjectId);
                if (a.passwordResetRequired) {
                    throw new ProblemException(ProblemType.FORBIDDEN,
                            "The password must be reset with a verification code before logging in.", "code");
                }
                return new Confirmed(a.id, v.purpose, v.channel, a.status, login.open(a), null);
            }
            case VerificationCode.PASSWORD_RESET -> {
                login.resetPassword(v.subjectId, newPassword);
                return new Confirmed(v.subjectId, v.purpose, v.channel, null, null, null);
            }
            case VerificationCode.CONTACT_CHANGE -> {
                Account a = registration.contactChanged(v);
                // whoever else holds a session (a thief's, say) is out; the session that asked for the change stays
                login.revokeAllBut(a.id, v.sessionId, "CONTACT_CHANGED");
                return new Confirmed(a.id, v.purpose, v.channel, a.status, null, null);
            }
            case VerificationCode.CORRECTION -> {
                // the value is not applied yet: it waits for the correction request's verified command
                Account a = corrections.codeConfirmed(v);
                return new Confirmed(a.id, v.purpose, v.channel, a.status, null, null);
            }
            default -> throw new IllegalStateException("unknown code purpose " + v.purpose);
        }
    }
}
