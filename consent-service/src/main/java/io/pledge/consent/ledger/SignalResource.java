package io.pledge.consent.ledger;

import io.pledge.consent.ledger.ConsentLedger.Evidence;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Roles;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * Privacy signals and cookie choices outside the consent settings (policies 3.1, 3.2): a DNT or Sec-GPC signal seen on
 * any ordinary request of a signed-in subject, to any service (service-kit's {@code SignalRelay} forwards it here with
 * the subject's own token), is recorded as their opt-out of tracking. A visitor without an account: {@link DeviceResource}.
 */
@Path("/v1/signals")
@Produces(MediaType.APPLICATION_JSON)
public class SignalResource {

    /** What a signal recorded. */
    public record Recorded(String signal, List<RecordView> records) {
    }

    private final ConsentLedger ledger;
    private final JsonWebToken caller;

    public SignalResource(ConsentLedger ledger, JsonWebToken caller) {
        this.ledger = ledger;
        this.caller = caller;
    }

    /** The signal a request carries: Sec-GPC outranks DNT; null when neither says 1. */
    public static String signal(String dnt, String gpc) {
        return "1".equals(gpc == null ? null : gpc.trim()) ? "GPC" : "1".equals(dnt == null ? null : dnt.trim()) ? "DNT" : null;
    }

    @POST
    @RolesAllowed(Roles.SUBJECT)
    @Operation(summary = "Record the DNT / Sec-GPC signal of the signed-in subject's request as their opt-out of tracking")
    public Recorded record(@HeaderParam("DNT") String dnt, @HeaderParam("Sec-GPC") String gpc,
                           @HeaderParam("User-Agent") String userAgent, @Context HttpServerRequest http) {
        String signal = signal(dnt, gpc);
        if (signal == null) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The request carries neither Sec-GPC: 1 nor DNT: 1.",
                    "Sec-GPC");
        }
        UUID subject = subject(caller);
        return new Recorded(signal, ledger.signal(subject, signal, new Evidence(signal, userAgent,
                ConsentResource.network(http))));
    }

    static UUID subject(JsonWebToken caller) {
        try {
            return UUID.fromString(caller.getSubject());
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new ProblemException(ProblemType.FORBIDDEN, "The token names no subject.");
        }
    }
}
