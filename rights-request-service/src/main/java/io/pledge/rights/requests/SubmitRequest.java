package io.pledge.rights.requests;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.UUID;

/**
 * A new request. {@code subjectId} is required from an operator (on a subject's behalf, with {@code workOrder}) and
 * must be the caller's own id from a subject. Type-specific: {@code ground} (DELETION), {@code fields} (CORRECTION),
 * {@code purposeId} (CONSENT_SCOPE), {@code recipientId} (COPY to a designated recipient), {@code decisionRef} and
 * {@code optOut} (AUTOMATED_DECISION), {@code topic} (COMPLAINT). Codes and ids only: no free text.
 */
public record SubmitRequest(
        UUID subjectId,
        @NotBlank @Pattern(regexp = "[A-Z_]{1,32}") String type,
        @Pattern(regexp = "6\\.3\\.[1-5]") String ground,
        @Size(min = 1, max = 20) List<@Pattern(regexp = "[a-zA-Z]{1,32}") String> fields,
        @Pattern(regexp = "[a-z0-9][a-z0-9-]{0,63}") String purposeId,
        @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String recipientId,
        @Pattern(regexp = "[A-Za-z0-9._:-]{1,100}") String decisionRef,
        Boolean optOut,
        @Pattern(regexp = "[A-Z][A-Z0-9_]{0,63}") String topic,
        @Pattern(regexp = "[A-Za-z0-9._:-]{1,100}") String workOrder,
        @Pattern(regexp = "EMAIL|MOBILE") String channel) {
}
