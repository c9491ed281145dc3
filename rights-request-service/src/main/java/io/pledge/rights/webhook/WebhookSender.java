package io.pledge.rights.webhook;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.pledge.kit.security.OutboundPolicy;
import io.pledge.kit.webhook.StandardWebhooks;
import io.pledge.rights.config.RightsConfig;
import io.pledge.rights.export.PackageAssembler;
import io.pledge.rights.ledger.LedgerEntry;
import io.pledge.rights.ledger.Propagation;
import io.pledge.rights.registry.Holder;
import io.pledge.rights.registry.OutboundUrls;
import io.pledge.rights.registry.WebhookSecrets;
import io.pledge.rights.requests.RightsRequest;
import io.quarkus.logging.Log;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Delivers queued webhook calls, signed with the holder's secret by Standard Webhooks ({@link StandardWebhooks}:
 * {@code webhook-id} is the delivery's id, the same on every retry, so the holder can drop a duplicate); 2xx marks it
 * delivered; anything else is retried with exponential backoff up to {@code pledge.rights.webhook.max-attempts}, then
 * given up and escalated naming the holder and the request. A row is claimed with SKIP LOCKED, so two instances never
 * send the same call at once. A transfer package is assembled at the moment it is sent.
 */
@ApplicationScoped
public class WebhookSender {

    private final EntityManager em;
    private final RightsConfig config;
    private final PackageAssembler packages;
    private final Propagation propagation;
    private final ObjectMapper json;
    private final WebhookSecrets secrets;
    private final OutboundUrls outboundUrls;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    private final WebhookWake wake;
    private volatile Thread worker;

    public WebhookSender(EntityManager em, RightsConfig config, PackageAssembler packages, Propagation propagation,
                         ObjectMapper json, WebhookSecrets secrets, WebhookWake wake, OutboundUrls outboundUrls) {
        this.outboundUrls = outboundUrls;
        this.wake = wake;
        this.em = em;
        this.config = config;
        this.packages = packages;
        this.propagation = propagation;
        this.json = json;
        this.secrets = secrets;
    }

    /** Sends committed deliveries as soon as they are committed, on a worker thread of its own. */
    void start(@Observes StartupEvent event) {
        Thread t = new Thread(this::work, "pledge-webhooks");
        t.setDaemon(true);
        worker = t;
        t.start();
    }

    void stop(@Observes ShutdownEvent event) {
        Thread t = worker;
        worker = null;
        if (t != null) {
            t.interrupt();
        }
    }

    private void work() {
        while (worker == Thread.currentThread()) {
            try {
                if (wake.await(Duration.ofSeconds(5))) {
                    deliverDue();
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                Log.warnf("webhook worker: %s (the watchdog retries)", e.getClass().getSimpleName());
            }
        }
    }

    public void deliverDue() {
        for (int i = 0; i < config.watchdog().batch(); i++) {
            Boolean more = QuarkusTransaction.requiringNew().call(this::deliverOne);
            if (!Boolean.TRUE.equals(more)) {
                return;
            }
        }
    }

    @SuppressWarnings("unchecked")
    private boolean deliverOne() {
        List<Object[]> rows = em.createNativeQuery("select id, holder_id, request_id, kind, body, attempts from "
                + "webhook_delivery where delivered_at is null and given_up_at is null and next_at <= ?1 "
                + "order by next_at limit 1 for update skip locked").setParameter(1, Instant.now()).getResultList();
        if (rows.isEmpty()) {
            return false;
        }
        Object[] row = rows.get(0);
        UUID id = (UUID) row[0];
        String holderId = (String) row[1];
        UUID requestId = (UUID) row[2];
        String kind = (String) row[3];
        int attempts = ((Number) row[5]).intValue() + 1;
        Holder h = Holder.findById(holderId);
        int status = 0;
        try {
            String body = (String) row[4];
            if (WebhookDeliveries.TRANSFER_PACKAGE.equals(kind)) {
                RightsRequest r = RightsRequest.findById(requestId);
                body = json.writeValueAsString(packages.assemble(r, LedgerEntry.ofRequest(requestId)));
            }
            long ts = System.currentTimeMillis() / 1000;
            // checked again at send time: DNS may have moved the host onto a private address since registration
            URI target = outboundUrls.webhookTarget(h);
            HttpRequest req = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("ce-id", id.toString())
                    .header("ce-type", kind)
                    .header("X-Pledge-Request-Id", requestId.toString())
                    .header(StandardWebhooks.ID, id.toString())
                    .header(StandardWebhooks.TIMESTAMP, Long.toString(ts))
                    .header(StandardWebhooks.SIGNATURE, StandardWebhooks.sign(secrets.open(h.id, h.sealedWebhookSecret),
                            id.toString(), ts, body))
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            status = http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (OutboundPolicy.Refused e) {
            Log.warnf("webhook %s to holder %s for request %s not sent: its URL is refused (%s)", kind, holderId, requestId,
                    e.getMessage());
        } catch (IOException | RuntimeException e) {
            Log.warnf("webhook %s to holder %s for request %s failed: %s", kind, holderId, requestId,
                    e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        Instant now = Instant.now();
        if (status >= 200 && status < 300) {
            em.createNativeQuery("update webhook_delivery set delivered_at = ?1, attempts = ?2, last_status = ?3 where id = ?4")
                    .setParameter(1, now).setParameter(2, attempts).setParameter(3, status).setParameter(4, id).executeUpdate();
            if (WebhookDeliveries.TRANSFER_PACKAGE.equals(kind)) {
                RightsRequest r = RightsRequest.findById(requestId);
                r.transferStatus = "DELIVERED";
            }
            return true;
        }
        if (attempts >= config.webhook().maxAttempts()) {
            em.createNativeQuery("update webhook_delivery set given_up_at = ?1, attempts = ?2, last_status = ?3 where id = ?4")
                    .setParameter(1, now).setParameter(2, attempts).setParameter(3, status).setParameter(4, id).executeUpdate();
            RightsRequest r = RightsRequest.findById(requestId);
            if (WebhookDeliveries.TRANSFER_PACKAGE.equals(kind)) {
                r.transferStatus = "FAILED";
            }
            propagation.escalate(r, holderId, now, now, "WEBHOOK_UNDELIVERABLE");
            return true;
        }
        long backoff = Math.min(config.webhook().maxBackoff().toMillis(),
                config.webhook().initialBackoff().toMillis() * (1L << Math.min(20, attempts - 1)));
        em.createNativeQuery("update webhook_delivery set next_at = ?1, attempts = ?2, last_status = ?3 where id = ?4")
                .setParameter(1, now.plusMillis(backoff)).setParameter(2, attempts).setParameter(3, status)
                .setParameter(4, id).executeUpdate();
        return true;
    }
}
