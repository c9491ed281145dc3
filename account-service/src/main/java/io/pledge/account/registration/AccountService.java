package io.pledge.account.registration;

import io.pledge.account.holder.AccessAudit;
import io.pledge.account.login.Caller;
import io.pledge.account.login.LoginService;
import io.pledge.account.profile.ProfileFields;
import io.pledge.account.profile.ProfileService;
import io.pledge.account.verification.Verifications;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import java.util.List;
import java.util.UUID;

/**
 * What a subject (or their guardian, policy 7.4.3) does with an account after registration: read it,
 * change the optional profile, correct the user name, change email or mobile with the current password
 * and a code. A guardian's read is audited.
 */
@ApplicationScoped
@Transactional
public class AccountService {

    private final Caller caller;
    private final ProfileService profiles;
    private final RegistrationService registration;
    private final AccessAudit audit;
    private final LoginService logins;

    public AccountService(Caller caller, ProfileService profiles, RegistrationService registration, AccessAudit audit,
                          LoginService logins) {
        this.logins = logins;
        this.caller = caller;
        this.profiles = profiles;
        this.registration = registration;
        this.audit = audit;
    }

    public AccountView read(UUID id) {
        Caller.Access access = caller.selfOrWard(id);
        if (access.acting() == Caller.Acting.GUARDIAN) {
            audit.record(id, caller.id(), "GUARDIAN", List.of("userName", "email", "mobile", "birthDate", "profile"),
                    "guardian-access");
        }
        return AccountView.of(access.account(), profiles.read(id));
    }

    public ProfileFields replaceProfile(UUID id, ProfileFields fields) {
        Caller.Access access = caller.selfOrWard(id);
        requireProcessing(access.account());
        if (access.account().child && access.acting() == Caller.Acting.SUBJECT) {
            // policy 7.4.2: a child's information beyond registration comes from the guardian (removing is allowed)
            throw new ProblemException(ProblemType.FORBIDDEN,
                    "A child's profile is filled in by the linked guardian (policy 7.4.2).");
        }
        return profiles.replace(id, fields);
    }

    public ProfileFields removeProfileField(UUID id, String field) {
        caller.selfOrWard(id);
        return profiles.remove(id, field);
    }

    public void changeUserName(UUID id, String userName) {
        registration.changeUserName(caller.selfOrWard(id).account(), userName);
    }

    /**
     * Starts a change of email or mobile: only with the caller's current password (their own, also when acting for a
     * ward), checked like a login — a wrong one counts towards the caller's lock and the address's limit, and a locked
     * account is refused alike — so that a stolen session alone cannot take the account over. Refused, nothing is
     * issued or changed.
     */
    @Transactional(dontRollbackOn = {LoginService.Refused.class, WrongPassword.class})
    public Verifications.Issued requestContactChange(UUID id, String channel, String value, String currentPassword,
                                                     String clientAddress) {
        Account a = caller.selfOrWard(id).account();
        try {
            logins.confirmPassword(caller.subject(), currentPassword, clientAddress);
        } catch (LoginService.Refused wrongOrLocked) {
            throw new WrongPassword();
        }
        return registration.requestContactChange(a, channel, value, clientAddress, caller.sessionId());
    }

    /** The one answer to a current password that is wrong, or an account locked after too many. */
    public static class WrongPassword extends ProblemException {
        public WrongPassword() {
            super(ProblemType.FORBIDDEN, "The current password is wrong (or too many were wrong: try again later).",
                    "currentPassword");
        }
    }

    /** Policy 7: while a child's guardian is awaited, only registration data is processed. */
    static void requireProcessing(Account a) {
        if (!a.mayProcessBeyondRegistration()) {
            throw new ProblemException(ProblemType.CONFLICT,
                    "Only registration data is processed until a guardian has linked and consented (policy 7).",
                    "status");
        }
    }

    public static void requireActive(Account a) {
        requireProcessing(a);
    }
}
