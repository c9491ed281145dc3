package io.pledge.notification.delivery;

import io.pledge.notification.campaign.NoticeTexts;
import io.pledge.notification.channel.ChannelProvider;
import io.pledge.notification.channel.OutboundMessage;
import io.pledge.notification.channel.SendResult;
import io.pledge.notification.config.NotificationConfig;
import io.pledge.notification.contact.AccountClient;
import io.pledge.notification.contact.ConsentClient;
import io.pledge.notification.contact.Unavailable;
import io.pledge.notification.template.RenderedMessage;
import io.pledge.notification.template.Templates;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Sends one claimed batch: reads contact values from account-service at send time (one call per purpose
 * per batch; a verification code's address and code from its secret endpoint), checks marketing against
 * consent-service at send time (fail closed), renders the template in the subject's preferred language (from the
 * same contact lookup, or for codes and invitations from the secret endpoint; the requested or default locale when
 * account-service does not say), hands the message to its channel's
 * provider and records the outcome. The messages of a batch are handed over concurrently by a pool of
 * {@code send-concurrency} senders shared by every worker thread; each outcome is committed right after its
 * provider answered, before its sender takes another message (SENT outcomes of senders finishing at the same time
 * share one commit, {@link SentRecorder}), and the batch returns only when every message of it is recorded.
 * Addresses and codes live only in the sending methods' locals.
 */
@ApplicationScoped
public class Dispatcher {

    /** Attempts at committing an outcome the provider already gave (a busy connection pool must not cause a resend). */
    private static final int RECORD_ATTEMPTS = 3;

    private final DeliveryStore store;
    private final AccountClient account;
    private final ConsentClient consent;
    private final Templates templates;
    private final NoticeTexts texts;
    private final List<ChannelProvider> providers;
    private final String publicUrl;
    private final ExecutorService senders;
    private final SentRecorder recorder;
    private final long renewEveryMs;

    public Dispatcher(DeliveryStore store, AccountClient account, ConsentClient consent, Templates templates,
                      NoticeTexts texts, Instance<ChannelProvider> providers, NotificationConfig config,
                      SentRecorder recorder) {
        this.recorder = recorder;
        this.renewEveryMs = Math.max(100, config.delivery().lease().toMillis() / 3);
        this.store = store;
        this.account = account;
        this.consent = consent;
        this.templates = templates;
        this.texts = texts;
        this.providers = providers.stream().toList();
        this.publicUrl = config.publicUrl().toString().replaceAll("/$", "");
        int concurrency = config.delivery().sendConcurrency();
        if (concurrency > 1) {
            AtomicInteger n = new AtomicInteger();
            ThreadPoolExecutor pool = new ThreadPoolExecutor(concurrency, concurrency, 30, TimeUnit.SECONDS,
                    new LinkedBlockingQueue<>(), r -> {
                        Thread t = new Thread(r, "delivery-send-" + n.getAndIncrement());
                        t.setDaemon(true);
                        return t;
                    });
            pool.allowCoreThreadTimeOut(true);
            this.senders = pool;
        } else {
            this.senders = null;
        }
    }

    @PreDestroy
    void close() {
        if (senders != null) {
            senders.shutdown();
        }
    }

    /**
     * A friend invitation (policy 2.2.1): sent to the invitee, whose address account-service answers
     * once through the secret endpoint and erases with that answer; never to the inviting subject.
     */
    static final String FRIEND_INVITATION = "friend-invitation";

    /**
     * "Your email (or mobile) was changed" (issue 17.4): sent to the address it was changed FROM, which only
     * account-service's secret endpoint still knows; the contact look-up would answer the new one.
     */
    static final String CONTACT_CHANGED = "contact-changed";

    /** Sends a claimed batch and records every outcome; returns when all are recorded. */
    public void process(List<Delivery> batch) {
        List<Runnable> sends = new ArrayList<>();
        Map<String, List<Delivery>> byPurpose = new LinkedHashMap<>();
        for (Delivery d : batch) {
            if (d.subjectId == null) {
                store.cancel(d, "SUBJECT_ERASED");
                continue;
            }
            String purpose = Kinds.purpose(d.kind, d.channel);
            if (purpose == null) {
                store.fail(d, "CHANNEL_NOT_ALLOWED", false);
            } else if (Kinds.VERIFICATION_CODE.equals(d.kind) || FRIEND_INVITATION.equals(d.templateId)
                    || CONTACT_CHANGED.equals(d.templateId)) {
                // the address (and the code) come from account-service's secret endpoint: a code goes
                // to a contact being verified, an invitation to an invitee who is nobody's contact, a
                // contact-change notice to the address the subject no longer has
                sends.add(() -> guarded(d, () -> sendCode(d)));
            } else {
                byPurpose.computeIfAbsent(purpose, k -> new ArrayList<>()).add(d);
            }
        }
        byPurpose.forEach((purpose, group) -> sendGroup(purpose, group, sends));
        runAll(sends, batch.stream().map(d -> d.id).toList());
    }

    /**
     * Runs the sends of a batch on the shared senders (or one by one here) and waits for every one of them, renewing
     * the batch's lease every third of it while sends still wait behind other batches' for a sender.
     */
    private void runAll(List<Runnable> sends, List<UUID> claimed) {
        if (senders == null || sends.size() < 2) {
            sends.forEach(Runnable::run);
            return;
        }
        List<Future<?>> running = new ArrayList<>(sends.size());
        for (Runnable r : sends) {
            try {
                running.add(senders.submit(r));
            } catch (RejectedExecutionException shuttingDown) {
                r.run();
            }
        }
        boolean interrupted = false;
        for (Future<?> f : running) {
            while (true) {
                try {
                    f.get(renewEveryMs, TimeUnit.MILLISECONDS);
                    break;
                } catch (TimeoutException stillSending) {
                    try {
                        store.renew(claimed);
                    } catch (RuntimeException e) {
                        Log.warnf("could not renew the lease of a batch (%s)", e.getClass().getSimpleName());
                    }
                } catch (InterruptedException e) {
                    interrupted = true; // the batch in hand is finished before this thread gives up
                } catch (ExecutionException e) {
                    Log.warnf("a send failed outside its guard (%s)", e.getCause().getClass().getSimpleName());
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** Looks up the group's contacts (and consent) once, then adds one send per delivery to {@code sends}. */
    private void sendGroup(String purpose, List<Delivery> group, List<Runnable> sends) {
        List<UUID> subjects = List.copyOf(new LinkedHashSet<>(group.stream().map(d -> d.subjectId).toList()));
        boolean marketing = Kinds.MARKETING_PURPOSES.contains(purpose);
        Map<UUID, AccountClient.Contact> contacts;
        Set<UUID> permitted = Set.of();
        Set<UUID> tracking = Set.of();
        try {
            if (marketing) {
                // fail closed: no answer from consent-service, no marketing (retried later)
                permitted = consent.permitted(subjects, purpose);
                List<UUID> asked = subjects.stream().filter(permitted::contains).toList();
                if (asked.isEmpty()) {
                    contacts = Map.of();
                } else {
                    contacts = account.contacts(purpose, asked);
                }
                if ("marketing-email".equals(purpose) && !asked.isEmpty()) {
                    try {
                        tracking = consent.permitted(asked, Kinds.TRACKING_PURPOSE);
                    } catch (Unavailable e) {
                        tracking = Set.of(); // no answer: no tracking
                    }
                }
            } else {
                contacts = new HashMap<>();
                for (int i = 0; i < subjects.size(); i += AccountClient.MAX_BATCH) {
                    contacts.putAll(account.contacts(purpose, subjects.subList(i, Math.min(subjects.size(), i + AccountClient.MAX_BATCH))));
                }
            }
        } catch (Unavailable e) {
            Log.warnf("%d deliveries for purpose %s wait: %s", group.size(), purpose, e.getMessage());
            group.forEach(d -> store.retry(d, e.code(), false));
            return;
        }
        for (Delivery d : group) {
            if (marketing && !permitted.contains(d.subjectId)) {
                store.fail(d, "NOT_PERMITTED", false);
                continue;
            }
            AccountClient.Contact c = contacts.get(d.subjectId);
            if (c == null || "NOT_FOUND".equals(c.outcome())) {
                store.fail(d, "NO_CONTACT", false);
                continue;
            }
            if (!"OK".equals(c.outcome())) {
                store.fail(d, "NOT_PERMITTED", false);
                continue;
            }
            d.locale = localeOf(c, d);
            String address = switch (d.channel) {
                case "EMAIL" -> c.email();
                case "SMS", "PHONE" -> c.mobile();
                default -> null;
            };
            boolean tracked = tracking.contains(d.subjectId) && "EMAIL".equals(d.channel);
            sends.add(() -> guarded(d, () -> sendOne(d, address, marketing ? purpose : null, tracked)));
        }
    }

    /**
     * The subject's own language, as account-service answered it, over the one the notice was stored with (the
     * requester's, or for a campaign the configured default): the subject is the one place it is known. The one
     * used is stored with the outcome, so an export re-renders the message as it was sent.
     */
    private static String localeOf(AccountClient.Contact c, Delivery d) {
        return supported(c.locale(), d.locale);
    }

    /** {@code preferred} when templates exist in it, else {@code fallback}. */
    private static String supported(String preferred, String fallback) {
        return preferred != null && Templates.LOCALES.contains(preferred) ? preferred : fallback;
    }

    private void sendCode(Delivery d) {
        AccountClient.Secret s;
        try {
            s = account.secret(d.noticeId).orElse(null);
        } catch (Unavailable e) {
            store.retry(d, e.code(), false);
            return;
        }
        if (s == null) {
            store.fail(d, "SECRET_UNAVAILABLE", false);
            return;
        }
        d.locale = supported(s.locale(), d.locale); // the subject's own language (for an invitation, the inviter's)
        Map<String, Object> data = new HashMap<>();
        data.put("params", d.params());
        data.put("code", s.code());
        deliver(d, s.address(), data, Map.of(), false);
    }

    private void sendOne(Delivery d, String address, String marketingPurpose, boolean tracked) {
        Map<String, Object> data = new HashMap<>();
        data.put("params", d.params());
        Map<String, String> headers = new LinkedHashMap<>();
        switch (d.kind) {
            case Kinds.BREACH -> {
                data.put("incident", texts.incident(d.params().get("incidentId"), d.locale));
                data.put("announcementUrl", publicUrl + "/v1/announcements");
            }
            case Kinds.CESSATION -> data.put("statement", texts.cessation(d.params().get("cessationId"), d.locale));
            default -> {
            }
        }
        if (marketingPurpose != null) {
            String unsubscribe;
            try {
                unsubscribe = consent.unsubscribeUrl(d.subjectId, marketingPurpose);
            } catch (Unavailable e) {
                store.retry(d, e.code(), false);
                return;
            }
            data.put("unsubscribeUrl", unsubscribe);
            headers.put("List-Unsubscribe", "<" + unsubscribe + ">");
            headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
            String offer = d.params().get("offerUrl");
            String link = offer != null && offer.startsWith("https://") ? offer : null;
            if (tracked && link != null) {
                link = publicUrl + "/v1/tracking/" + d.id + "/click";
            }
            data.put("link", link);
        }
        deliver(d, address, data, headers, tracked);
    }

    private void deliver(Delivery d, String address, Map<String, Object> data, Map<String, String> headers,
                         boolean tracked) {
        ChannelProvider provider = providers.stream().filter(p -> p.handles(d.channel)).findFirst().orElse(null);
        if (provider == null) {
            store.fail(d, "CHANNEL_UNAVAILABLE", false);
            return;
        }
        if (provider.needsAddress(d.channel) && (address == null || address.isBlank())) {
            store.fail(d, "NO_ADDRESS", false);
            return;
        }
        RenderedMessage m;
        try {
            m = templates.render(d.templateId, d.locale, data);
        } catch (RuntimeException e) {
            Log.warnf("delivery %s: template %s did not render (%s)", d.id, d.templateId, e.getClass().getSimpleName());
            store.fail(d, "RENDER_FAILED", false);
            return;
        }
        String html = tracked ? trackedHtml(d, m) : null;
        SendResult r = provider.send(new OutboundMessage(d.id, d.noticeId, d.subjectId, d.channel, d.locale, address, m,
                html, headers));
        switch (r.outcome()) {
            case ACCEPTED -> recordSent(d, tracked);
            case REJECTED -> store.fail(d, r.reasonCode(), true);
            case RETRY -> store.retry(d, r.reasonCode(), true);
        }
    }

    /**
     * Commits SENT for a message the provider accepted, together with other senders' ({@link SentRecorder}). A failure
     * to commit is tried again on its own, never turned into a retry of the send; if it still fails the row stays
     * SENDING and is taken over when its lease expires (the one window where a message may go out twice, as after a
     * crash at this point).
     */
    private void recordSent(Delivery d, boolean tracked) {
        if (recorder.record(d, tracked)) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                store.sent(d, tracked);
                return;
            } catch (RuntimeException e) {
                if (attempt >= RECORD_ATTEMPTS) {
                    Log.warnf("delivery %s was accepted but SENT could not be recorded (%s); its lease will expire", d.id,
                            e.getClass().getSimpleName());
                    return;
                }
                sleep(200L * attempt);
            }
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The HTML body of a tracked marketing email: the text, and a 1×1 open pixel (policy 3.2: only with consent). */
    private String trackedHtml(Delivery d, RenderedMessage m) {
        StringBuilder b = new StringBuilder("<!doctype html><html><body>");
        for (String line : m.text().split("\n")) {
            b.append("<p>").append(escape(line)).append("</p>");
        }
        b.append("<img src=\"").append(publicUrl).append("/v1/tracking/").append(d.id)
                .append("/open\" width=\"1\" height=\"1\" alt=\"\">");
        return b.append("</body></html>").toString();
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** One delivery's unexpected failure never stops the batch; it is retried. */
    private void guarded(Delivery d, Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            Log.warnf("delivery %s failed unexpectedly (%s); retried", d.id, e.getClass().getSimpleName());
            try {
                store.retry(d, "INTERNAL", false);
            } catch (RuntimeException again) {
                Log.warnf("delivery %s could not be rescheduled (%s); its lease will expire", d.id, again.getClass().getSimpleName());
            }
        }
    }
}
