package io.pledge.consent.ledger;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * A subject's (or guardian's) decision on one purpose: the body of {@code POST /v1/consents/{subjectId}/records}.
 *
 * @param purposeId            the purpose of the catalogue
 * @param decision             GIVEN, REFUSED or WITHDRAWN
 * @param recipientId          the recipient the consent names (required for per-recipient purposes, 4.2, 5.4)
 * @param region               ISO 3166 code of an offshore recipient (cross-border purposes only, 5.4)
 * @param channel              where the decision was made: WEB, APP or API
 * @param expiresAt            when a grant lapses unless renewed; none by default
 * @param explicitConfirmation the subject explicitly confirmed a sensitive purpose (4.2)
 * @param confirmOverSignal    the subject confirms an opt-in although their browser sends DNT or Sec-GPC (3.1)
 * @param transfer             the terms a cross-border grant must name (5.4)
 */
public record ConsentChange(
        @NotNull @Pattern(regexp = Patterns.PURPOSE) String purposeId,
        @NotNull Decision decision,
        @Pattern(regexp = Patterns.RECIPIENT) String recipientId,
        @Pattern(regexp = Patterns.REGION) String region,
        @NotNull Channel channel,
        Instant expiresAt,
        Boolean explicitConfirmation,
        Boolean confirmOverSignal,
        @Valid TransferTerms transfer) {

    /** What the subject decided; statuses as in the W3C Data Privacy Vocabulary. */
    public enum Decision { GIVEN, REFUSED, WITHDRAWN }

    /** Where a subject-made decision came from (EMAIL_LINK, DNT, GPC and GUARDIAN are set by the service). */
    public enum Channel { WEB, APP, API }

    /**
     * Policy 5.4: what the subject is told about an offshore recipient before consenting to a transfer.
     *
     * @param recipientName    the offshore recipient's name
     * @param recipientContact its contact information
     * @param processingMethod how it processes the information
     * @param purposes         the purposes of the catalogue the transfer serves
     * @param dataCategories   the categories of personal information transferred
     * @param rightsProcedure  how the subject exercises their rights against the recipient
     */
    public record TransferTerms(
            @NotBlank @Size(max = 200) String recipientName,
            @NotBlank @Size(max = 300) String recipientContact,
            @NotBlank @Size(max = 500) String processingMethod,
            @NotEmpty @Size(max = 20) List<@NotNull @Pattern(regexp = Patterns.PURPOSE) String> purposes,
            @NotEmpty @Size(max = 20) List<@NotNull @Pattern(regexp = Patterns.PURPOSE) String> dataCategories,
            @NotBlank @Size(max = 1000) String rightsProcedure) {
    }

    public boolean explicit() {
        return Boolean.TRUE.equals(explicitConfirmation);
    }

    public boolean confirmsOverSignal() {
        return Boolean.TRUE.equals(confirmOverSignal);
    }
}
