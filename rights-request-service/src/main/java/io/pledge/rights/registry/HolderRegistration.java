package io.pledge.rights.registry;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;

/**
 * A holder as an officer registers or updates it. {@code agreement} (policy 4.1) names the entrusted matters,
 * period, nature, purpose and responsibilities, as codes or document references. {@code signingKeys} are the public
 * JWKs (Ed25519 {@code OKP} or P-256 {@code EC}) its replies are signed with (privacy-events README, signed replies);
 * a holder without one has every reply refused until an officer adds one ({@code POST /v1/holders/{id}/keys}).
 * {@code webhookUrl} and {@code exportBaseUrl} (where its export parts may be fetched from, optional) are checked by
 * {@link OutboundUrls}. {@code oauthScopes} (optional, at registration only) gives the holder its own OAuth client at
 * account-service with those scopes, each one a holder may be granted ({@code Scopes.HOLDER_GRANTABLE}); its id and
 * secret are in the registration's answer only.
 */
public record HolderRegistration(
        @NotBlank @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String id,
        @NotBlank @Pattern(regexp = "DOWNSTREAM|DELEGATEE|PARTNER|AFFILIATE|OFFSHORE|RECIPIENT") String kind,
        @NotNull @Size(min = 1, max = 50) List<@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String> categories,
        @NotNull @Size(max = 50) List<@Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String> purposes,
        @NotBlank @Pattern(regexp = "[A-Z]{2}(-[A-Z0-9]{1,8})?") String region,
        @NotBlank @Pattern(regexp = "KAFKA|WEBHOOK") String channel,
        @Size(max = 2000) @Pattern(regexp = "https?://\\S+") String webhookUrl,
        Agreement agreement,
        @NotNull @Min(60) @Max(31_536_000) Long ackSlaSeconds,
        @Size(max = 10) List<@NotNull Map<String, Object>> signingKeys,
        @Size(max = 2000) String exportBaseUrl,
        @Size(min = 1, max = 20) List<@NotNull @Pattern(regexp = "[a-z0-9][a-z0-9.:-]{0,63}") String> oauthScopes) {

    /** Agreement terms (policy 4.1), as references and codes. */
    public record Agreement(@Size(max = 200) @Pattern(regexp = "[A-Za-z0-9 ._:/-]*") String matters,
                            @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9 ._:/-]*") String period,
                            @Size(max = 100) @Pattern(regexp = "[A-Za-z0-9 ._:/-]*") String nature,
                            @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9 ._:/-]*") String purpose,
                            @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9 ._:/-]*") String responsibilities,
                            @Size(max = 200) @Pattern(regexp = "[A-Za-z0-9 ._:/-]*") String documentRef) {
    }
}
