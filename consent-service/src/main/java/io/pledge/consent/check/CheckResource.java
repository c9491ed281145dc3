package io.pledge.consent.check;

import io.pledge.consent.ledger.Patterns;
import io.pledge.kit.security.AllowedClients;
import io.pledge.kit.security.Roles;
import io.pledge.kit.security.Scopes;
import io.smallrye.common.annotation.NonBlocking;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * {@code POST /v1/checks/batch}, and the request and answer records of {@code POST /v1/checks} (served by
 * {@link CheckRoute}): what every holder asks before processing. Runs on the event loop: the answer comes from
 * memory, never from the database.
 */
@Path("/v1/checks")
@Consumes(MediaType.APPLICATION_JSON)
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.HOLDER)
@AllowedClients(value = "*", scope = Scopes.CONSENT_CHECK)
public class CheckResource {

    /** Largest batch. */
    public static final int MAX_BATCH = 100;

    /**
     * One question.
     *
     * @param subjectId   the data subject
     * @param purposeId   the purpose of the processing
     * @param recipientId the recipient the data goes to, if any (4.2)
     * @param region      ISO 3166 region of the recipient, if the data leaves the home region (5.4)
     */
    public record CheckRequest(@NotNull UUID subjectId,
                               @NotNull @Size(max = 64) String purposeId,
                               @Pattern(regexp = Patterns.RECIPIENT) String recipientId,
                               @Pattern(regexp = Patterns.REGION) String region) {
    }

    /** Up to 100 questions. */
    public record BatchRequest(@NotEmpty @Size(max = MAX_BATCH) List<@NotNull @Valid CheckRequest> checks) {
    }

    /** One answer: permitted or not, and why. */
    public record CheckResult(UUID subjectId, String purposeId, String recipientId, String region, boolean permitted,
                              ConsentCheck.Reason reason, UUID recordId, Instant checkedAt) {
    }

    /** The answers, in the order asked. */
    public record BatchResult(List<CheckResult> results) {
    }

    private final ConsentCheck check;

    public CheckResource(ConsentCheck check) {
        this.check = check;
    }

    @POST
    @Path("/batch")
    @NonBlocking
    @Operation(summary = "Up to 100 checks at once")
    public BatchResult batch(@Valid @NotNull BatchRequest request) {
        Instant now = Instant.now();
        List<CheckResult> out = new ArrayList<>(request.checks().size());
        for (CheckRequest r : request.checks()) {
            out.add(answer(r, now));
        }
        return new BatchResult(out);
    }

    private CheckResult answer(CheckRequest r, Instant now) {
        ConsentCheck.Answer a = check.check(r.subjectId(), r.purposeId(), r.recipientId(), r.region(), now);
        return new CheckResult(r.subjectId(), r.purposeId(), r.recipientId(), r.region(), a.permitted(), a.reason(),
                a.recordId(), now);
    }
}
