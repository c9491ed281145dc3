package io.pledge.notification.marketing;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * A marketing team's message: the offer (an id and the https page it links to) for up to 1,000 subjects on the
 * channels it names. It carries subject ids only; contact values, language and consent are looked up at send time.
 */
public record MarketingMessage(
        @NotNull @Pattern(regexp = "^[A-Za-z0-9._-]{1,64}$") String offerId,
        @NotNull @Size(max = 500) @Pattern(regexp = "^https://[^\\s<>\"]+$") String offerUrl,
        @NotEmpty @Size(max = 3) List<@NotNull @Pattern(regexp = "^(EMAIL|SMS|PUSH)$") String> channels,
        @NotEmpty @Size(max = 1000) List<@NotNull UUID> subjectIds) {
}
