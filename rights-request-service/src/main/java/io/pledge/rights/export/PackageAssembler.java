package io.pledge.rights.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pledge.kit.problem.Problem;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.security.OutboundPolicy;
import io.pledge.kit.security.ServiceTokens;
import io.pledge.rights.config.RightsConfig;
import io.pledge.rights.ledger.LedgerEntry;
import io.pledge.rights.ledger.Propagation;
import io.pledge.rights.registry.Holder;
import io.pledge.rights.registry.OutboundUrls;
import io.pledge.rights.requests.RequestView;
import io.pledge.rights.requests.RightsRequest;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Assembles a subject's export package (policies 6.1, 6.6) when it is downloaded or transferred: each holder's part
 * is fetched at that moment from its {@code exportLocation}, so no copy of the personal data is kept here. Where from
 * is {@link OutboundUrls}' decision: a Pledge service's part from the internal URL its public prefix maps to
 * ({@code pledge.rights.export.rewrites}) with this service's holder token; a third-party holder's part from under
 * its registered export base, without any Pledge credential (the location is the holder's own capability URL).
 */
@ApplicationScoped
public class PackageAssembler {

    public static final String FORMAT = "pledge-export-package/v1";

    private final RightsConfig config;
    private final ServiceTokens tokens;
    private final ObjectMapper json;
    private final OutboundUrls outboundUrls;
    private HttpClient http;
    private Object httpTrust = "none yet";

    public PackageAssembler(RightsConfig config, ServiceTokens tokens, ObjectMapper json, OutboundUrls outboundUrls) {
        this.outboundUrls = outboundUrls;
        this.config = config;
        this.tokens = tokens;
        this.json = json;
    }

    public ObjectNode assemble(RightsRequest r, List<LedgerEntry> entries) {
        ObjectNode pkg = json.createObjectNode();
        pkg.put("format", FORMAT);
        pkg.put("requestId", r.id.toString());
        pkg.put("subjectId", r.subjectId.toString());
        pkg.put("purpose", r.exportPurpose);
        pkg.put("generatedAt", Instant.now().toString());
        ObjectNode readme = pkg.putObject("readme");
        readme.put("about", "Everything the holders of your personal data hold on you, one part per holder. Each part "
                + "is that holder's own machine-readable JSON; 'parts' below says what each one is.");
        ArrayNode described = readme.putArray("parts");
        ObjectNode parts = pkg.putObject("parts");
        for (LedgerEntry e : entries) {
            Holder h = Holder.findById(e.holderId());
            ObjectNode d = described.addObject();
            d.put("holderId", e.holderId());
            d.put("outcome", e.outcome);
            d.set("categories", json.valueToTree(h == null ? List.of() : h.categoryList()));
            d.put("description", describe(e.holderId(), e.outcome));
            if (!"EXPORTED".equals(e.outcome)) {
                continue;
            }
            if (Propagation.SELF.equals(e.holderId())) {
                List<RequestView> mine = RightsRequest.<RightsRequest>list("subjectId = ?1 order by submittedAt",
                        r.subjectId).stream().map(x -> RequestView.of(x, List.of())).toList();
                parts.set(e.holderId(), json.valueToTree(Map.of("requests", mine)));
            } else {
                parts.set(e.holderId(), fetch(h, e.exportLocation));
            }
        }
        return pkg;
    }

    private JsonNode fetch(Holder h, String location) {
        String holderId = h.id;
        try {
            // checked again now: under the holder's export base, and (for a third party) still on a public address;
            // a Pledge service's part is fetched with a token for that service only (its audience), another
            // holder's part with no Pledge token at all
            OutboundUrls.Target target = outboundUrls.exportTarget(h, location);
            HttpRequest.Builder req = HttpRequest.newBuilder(target.uri()).timeout(config.export().timeout())
                    .header("Accept", "application/json").GET();
            boolean withToken = target.withServiceToken() && Scopes.SERVICES.contains(holderId);
            if (withToken) {
                req.header("Authorization", tokens.authorization(holderId, target.uri()));
            }
            HttpResponse<String> resp = http().send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 401 && withToken) {
                tokens.invalidate(holderId);
            }
            if (resp.statusCode() != 200) {
                throw unavailable(holderId, "answered HTTP " + resp.statusCode());
            }
            JsonNode part = json.readTree(resp.body());
            if (truncated(part)) {
                // a part that is one page of more is not everything the holder has: no package rather than a short one
                Log.warnf("export part of holder %s is one page of a longer list: not handed out", holderId);
                throw unavailable(holderId, "answered one page of a longer list, not everything it holds");
            }
            return part;
        } catch (OutboundPolicy.Refused e) {
            Log.warnf("export part of holder %s not fetched: %s", holderId, e.getMessage());
            throw unavailable(holderId, "is not at an address this service fetches from");
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            Log.warnf("export part of holder %s unavailable: %s", holderId, e.getClass().getSimpleName());
            throw unavailable(holderId, "is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(holderId, "was interrupted");
        }
    }

    /**
     * The client of export fetches: the JDK's trusted CAs, plus the certificates of
     * {@code pledge.rights.export.trusted-certificates} when that file exists (built again when it changes).
     */
    private synchronized HttpClient http() throws IOException {
        Path pem = config.export().trustedCertificates().filter(Files::isRegularFile).orElse(null);
        Object trust = pem == null ? "jdk" : pem + "@" + Files.getLastModifiedTime(pem);
        if (http == null || !trust.equals(httpTrust)) {
            HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .followRedirects(HttpClient.Redirect.NEVER);
            if (pem != null) {
                b.sslContext(trusting(pem));
            }
            http = b.build();
            httpTrust = trust;
        }
        return http;
    }

    private static SSLContext trusting(Path pem) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            TrustManagerFactory jdk = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            jdk.init((KeyStore) null);
            int n = 0;
            for (TrustManager tm : jdk.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    for (X509Certificate c : x.getAcceptedIssuers()) {
                        store.setCertificateEntry("jdk-" + n++, c);
                    }
                }
            }
            try (InputStream in = Files.newInputStream(pem)) {
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("trusted-" + n++, c);
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the trusted certificates for export fetches", e);
        }
    }

    /** A paged answer ({@code total} and {@code items}) listing fewer items than its total. */
    static boolean truncated(JsonNode part) {
        return part != null && part.path("total").isNumber() && part.path("items").isArray()
                && part.path("items").size() < part.path("total").asLong();
    }

    private static ProblemException unavailable(String holderId, String why) {
        return new ProblemException(Problem.of(ProblemType.UNAVAILABLE,
                "The part of holder " + holderId + " " + why + "; try again later.").withField(holderId));
    }

    private static String describe(String holderId, String outcome) {
        String what = switch (holderId) {
            case "account-service" -> "your account, contact data, optional profile and real-name status";
            case "consent-service" -> "every consent you gave, refused or withdrew, with receipts";
            case "audit-service" -> "the record of what was done with your data, and by whom";
            case "notification-service" -> "the notices sent to you and your notification preferences";
            case Propagation.SELF -> "your rights requests and their outcomes";
            default -> "what the registered holder " + holderId + " holds on you";
        };
        return switch (outcome == null ? "" : outcome) {
            case "EXPORTED" -> what;
            case "NOT_HELD" -> "this holder holds nothing on you";
            default -> what + " (outcome " + outcome + ")";
        };
    }
}
