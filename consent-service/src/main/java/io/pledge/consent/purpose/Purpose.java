package io.pledge.consent.purpose;

import java.time.Instant;
import java.util.List;

/**
 * One purpose of the catalogue (policy 2.2): what personal data is used for, on which legal basis, and
 * how consent works for it.
 *
 * @param id             stable id, e.g. {@code marketing-email}
 * @param description    what the processing is
 * @param clause         the policy clause it comes from
 * @param legalBasis     CONSENT, CONTRACT_2_4_7, SECURITY_2_4_8, LEGAL_DUTY_2_4_10, ANONYMISED_2_4_9 or another 2.4 ground
 * @param mechanism      NECESSARY (no consent asked), OPT_IN (needs a grant) or OPT_OUT (permitted until refused)
 * @param dataCategories categories of personal information used
 * @param sensitive      personal sensitive information (1.6): needs its own explicit consent
 * @param core           part of the core service; refusing other purposes never affects it
 * @param perRecipient   consent names a recipient (4.2, 5.4)
 * @param crossBorder    a transfer abroad (5.4): the consent carries the transfer terms
 * @param tracking       a DNT or Sec-GPC signal opts out of it (3.1, 3.2)
 * @param marketing      one-click unsubscribe applies (2.2.3)
 * @param createdAt      when it entered the catalogue
 */
public record Purpose(String id, String description, String clause, String legalBasis, String mechanism,
                      List<String> dataCategories, boolean sensitive, boolean core, boolean perRecipient,
                      boolean crossBorder, boolean tracking, boolean marketing, Instant createdAt) {

    public static final String NECESSARY = "NECESSARY";
    public static final String OPT_IN = "OPT_IN";
    public static final String OPT_OUT = "OPT_OUT";

    public Purpose {
        dataCategories = List.copyOf(dataCategories);
    }

    public boolean necessary() {
        return NECESSARY.equals(mechanism);
    }

    /**
     * A use beyond what the service needs (every purpose that is not necessary: profiling, matching, marketing,
     * advertising and analytics cookies, tracking, sharing, transfers, statistics): none of it for a cancelled account
     * while its data is kept for the legal period (policy 5.4).
     */
    public boolean commercial() {
        return !necessary();
    }
}
