package io.pledge.rights.webhook;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.events.EventJson;
import io.pledge.events.EventTypes;
import io.pledge.events.rights.HolderReplied;
import io.pledge.events.TopicCatalogue;
import io.pledge.kit.events.EventSchemas;
import io.pledge.kit.events.PoisonRecordException;
import io.pledge.kit.events.RefusedRecordException;
import io.pledge.kit.inbox.DeadLetters;
import io.pledge.kit.inbox.Failures;
import io.pledge.kit.http.StrictJson;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemMappers;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.webhook.StandardWebhooks;
import io.pledge.rights.config.RightsConfig;
import io.pledge.rights.ledger.LedgerEntry;
import io.pledge.rights.ledger.Propagation;
import io.pledge.rights.registry.Holder;
import io.pledge.rights.registry.HolderKeys;
import io.pledge.rights.registry.WebhookSecrets;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import jakarta.annotation.security.PermitAll;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The signed callback of webhook holders: a {@code HolderReplied} body signed like the calls they receive, by
 * Standard Webhooks ({@link StandardWebhooks}: {@code webhook-id}, {@code webhook-timestamp},
 * {@code webhook-signature: v1,<base64 HMAC-SHA256(secret, id.timestamp.body)>}); {@code webhook-id} is its
 * idempotency key, so a replay within the timestamp tolerance is a {@code DUPLICATE} that changes nothing, and one
 * outside it is refused. Recorded exactly as a reply from rights.replies: one about a
 * command this holder was not sent is recorded and flagged {@code UNEXPECTED}, never counted; one whose holder
 * signature does not verify against this holder's registered keys (or that names another holder) is recorded as
 * {@code REFUSED}, escalated, dead-lettered to rights.replies.dlq and answered 422 (403 for another holder's id).
 */
@Path("/v1/holder-callbacks/{holderId}/replies")
public class CallbackResource {

    /** The event mapper, strict as every request body is read ({@link StrictJson}), refusing unknown fields. */
    private static final ObjectMapper REPLY = StrictJson.apply(EventJson.mapper().copy()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES));

    private final Propagation propagation;
    private final EventSchemas schemas;
    private final RightsConfig config;
    private final WebhookSecrets secrets;
    private final DeadLetters deadLetters;

    public CallbackResource(Propagation propagation, EventSchemas schemas, RightsConfig config, WebhookSecrets secrets,
                            DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
        this.propagation = propagation;
        this.schemas = schemas;
        this.config = config;
        this.secrets = secrets;
    }

    @POST
    @PermitAll
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "A webhook holder's signed reply")
    public Map<String, String> reply(@PathParam("holderId") @Pattern(regexp = "[a-z0-9][a-z0-9.-]{0,99}") String holderId,
                                     @HeaderParam(StandardWebhooks.ID) String replyId,
                                     @HeaderParam(StandardWebhooks.TIMESTAMP) String timestamp,
                                     @HeaderParam(StandardWebhooks.SIGNATURE) String signature,
                                     String body) {
        Holder h = Holder.findById(holderId);
        StandardWebhooks.Refusal refusal = h == null || h.sealedWebhookSecret == null ? StandardWebhooks.Refusal.BAD_SIGNATURE
                : signedBy(h, replyId, timestamp, body, signature);
        if (refusal != null) {
            Log.warnf("callback for holder %s refused: %s", holderId, refusal);
            throw new ProblemException(ProblemType.UNAUTHORIZED, "The callback is not signed by this holder "
                    + "(Standard Webhooks: webhook-id, webhook-timestamp within " + config.webhook().tolerance()
                    + ", webhook-signature).");
        }
        try {
            // by the kit's rules first: Vert.x's JsonObject and the schema would let the last of two equal keys win
            REPLY.readTree(body);
        } catch (JsonProcessingException e) {
            throw new ProblemException(ProblemMappers.fromJackson(e));
        }
        HolderReplied reply;
        try {
            JsonObject o = new JsonObject(body);
            schemas.validate(EventTypes.HOLDER_REPLIED, o);
            reply = REPLY.readValue(body, HolderReplied.class);
        } catch (DecodeException | ClassCastException | IOException e) {
            throw new ProblemException(ProblemType.MALFORMED_JSON, "The body is not a HolderReplied JSON object.");
        } catch (RuntimeException e) {
            throw new ProblemException(ProblemType.INVALID_INPUT, "The body does not match the HolderReplied schema.");
        }
        String eventId = "webhook:" + holderId + ":" + replyId;
        if (!holderId.equals(reply.holderId())) {
            refused(reply, eventId, body, HolderKeys.HOLDER_MISMATCH, holderId);
            throw new ProblemException(ProblemType.FORBIDDEN, "A holder replies for itself only.", "holderId");
        }
        // a reply about a command this holder was not sent is recorded and flagged UNEXPECTED, never counted, as on
        // rights.replies; one naming another command than the one it was sent is refused
        LedgerEntry entry = LedgerEntry.find(reply.requestId(), holderId);
        if (entry != null && !entry.command.equals(reply.command())) {
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The reply names another command than the one sent.",
                    "command");
        }
        String disposition;
        try {
            disposition = QuarkusTransaction.requiringNew().call(() -> propagation.onReply(reply, eventId, "WEBHOOK"));
        } catch (RuntimeException e) {
            PoisonRecordException poison = Failures.poisonIn(e);
            if (!(poison instanceof RefusedRecordException refused)) {
                throw e;
            }
            QuarkusTransaction.requiringNew().run(refused.recorder());
            deadLetters.sendUnrouted(CHANNEL, TopicCatalogue.RIGHTS_REPLIES, reply.requestId().toString(),
                    body.getBytes(StandardCharsets.UTF_8), eventId, Map.of(), refused.getMessage());
            throw new ProblemException(ProblemType.UNPROCESSABLE, "The reply's signature does not verify against this "
                    + "holder's registered signing keys.", "signature");
        }
        return Map.of("disposition", disposition);
    }

    static final String CHANNEL = "holder-callbacks";

    /** A reply refused before it reached the ledger (another holder's id): recorded, escalated, dead-lettered. */
    private void refused(HolderReplied reply, String eventId, String body, String reason, String holderId) {
        QuarkusTransaction.requiringNew().run(() -> propagation.refuse(reply, eventId, "WEBHOOK", reason));
        deadLetters.sendUnrouted(CHANNEL, TopicCatalogue.RIGHTS_REPLIES, reply.requestId().toString(),
                body.getBytes(StandardCharsets.UTF_8), eventId, Map.of(),
                "reply refused: " + reason + " (sent by holder " + holderId + ", naming " + reply.holderId() + ")");
    }

    private StandardWebhooks.Refusal signedBy(Holder h, String id, String timestamp, String body, String signature) {
        String secret;
        try {
            secret = secrets.open(h.id, h.sealedWebhookSecret);
        } catch (RuntimeException e) {
            Log.errorf("the sealed webhook secret of holder %s does not open (%s)", h.id, e.getClass().getSimpleName());
            return StandardWebhooks.Refusal.BAD_SIGNATURE;
        }
        return StandardWebhooks.verify(secret, id, timestamp, signature, body == null ? new byte[0]
                : body.getBytes(StandardCharsets.UTF_8), config.webhook().tolerance(), java.time.Instant.now());
    }
}
