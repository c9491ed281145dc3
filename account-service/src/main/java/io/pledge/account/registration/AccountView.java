package io.pledge.account.registration;

import io.pledge.account.profile.ProfileFields;
import java.time.Instant;
import java.util.UUID;

/** An account as its subject (or the subject's guardian) sees it. */
public record AccountView(UUID subjectId, String accountType, String status, String userName, String email,
                          boolean emailVerified, String mobile, boolean mobileVerified, String birthDate, boolean minor,
                          UUID guardianId, String realNameStatus, ProfileFields profile, Instant createdAt) {

    public static AccountView of(Account a, ProfileFields profile) {
        return new AccountView(a.id, a.accountType, a.status, a.userName.value(), a.email.value(),
                a.emailVerifiedAt != null, a.mobile.value(), a.mobileVerifiedAt != null, a.birthDate.value(), a.minor,
                a.guardianId, a.realNameStatus, profile, a.createdAt);
    }
}
