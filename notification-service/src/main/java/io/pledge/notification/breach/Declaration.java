package io.pledge.notification.breach;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A security officer's declaration of an incident (policy 5.3): the five parts a notice must carry, and a
 * title, each in Chinese and English; the data categories affected; who is affected — the subjects listed
 * ({@code affectedBy: SUBJECTS}, up to 5,000 per call; more with {@code POST …/affected-subjects}) or every
 * known subject holding those categories ({@code CATEGORIES}); the channels; and whether individual notice
 * is impractical (then the public announcement replaces it).
 */
public record Declaration(@NotNull @Valid Text title,
                          @NotNull @Valid Text whatHappened,
                          @NotNull @Valid Text possibleEffects,
                          @NotNull @Valid Text measuresTaken,
                          @NotNull @Valid Text selfProtection,
                          @NotNull @Valid Text remedies,
                          @NotEmpty @Size(max = 20) List<@NotNull @Pattern(regexp = "^[a-z0-9][a-z0-9-]{0,63}$") String> categories,
                          @NotNull @Pattern(regexp = "SUBJECTS|CATEGORIES") String affectedBy,
                          @Size(max = 5000) List<@NotNull UUID> affectedSubjects,
                          @Size(max = 5) List<@NotNull @Pattern(regexp = "EMAIL|SMS|PUSH|PHONE|LETTER") String> channels,
                          Boolean individualNoticeImpractical,
                          Instant occurredAt,
                          Instant discoveredAt) {

    /** One part in both languages. */
    public record Text(@JsonProperty("zh-CN") @NotBlank @Size(max = 4000) String zhCN,
                       @JsonProperty("en") @NotBlank @Size(max = 4000) String en) {
        public Map<String, String> byLocale() {
            return Map.of("zh-CN", zhCN, "en", en);
        }
    }

    /** The parts by name, in the order a notice shows them. */
    public Map<String, Text> parts() {
        return Map.of("title", title, "whatHappened", whatHappened, "possibleEffects", possibleEffects,
                "measuresTaken", measuresTaken, "selfProtection", selfProtection, "remedies", remedies);
    }
}
