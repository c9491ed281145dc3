package io.pledge.rights.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pledge.kit.problem.Problem;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.pledge.kit.security.Scopes;
import io.pledge.kit.security.ServiceTokens;
import io.pledge.rights.config.RightsConfig;
import io.pledge.rights.ledger.LedgerEntry;
import io.pledge.rights.ledger.Propagation;
import io.pledge.rights.registry.Holder;
import io.pledge.rights.requests.RequestView;
import io.pledge.rights.requests.RightsRequest;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
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
 * is fetched at that moment from its {@code exportLocation} with this service's holder token, so no copy of the
 * personal data is kept here. Public URL prefixes are rewritten to internal base URLs first
 * ({@code pledge.rights.export.rewrites}).
 */
@ApplicationScoped
public class PackageAssembler {

    public static final String FORMAT = "pledge-export-package/v1";

    private final RightsConfig config;
    private final ServiceTokens tokens;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    public PackageAssembler(RightsConfig config, ServiceTokens tokens, ObjectMapper json) {
        this.config = config;
        this.tokens = tokens;
        this.json = json;
    }

    /** Where a location is fetched from: the longest matching public prefix rewritten to its internal base. */
    public String rewrite(String location) {
        String best = null;
        Map<String, String> rewrites = config.export().rewriteMap();
        for (String prefix : rewrites.keySet()) {
            if (location.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        return best == null ? location : rewrites.get(best).replaceAll("/$", "")
                + location.substring(best.length());
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
                parts.set(e.holderId(), fetch(e.holderId(), e.exportLocation));
            }
        }
        return pkg;
    }

    private JsonNode fetch(String holderId, String location) {
        String target = rewrite(location);
        try {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target)).timeout(config.export().timeout())
                    .header("Accept", "application/json").GET();
            // a token for that Pledge service only (its audience); another holder's part gets no Pledge token
            if (Scopes.SERVICES.contains(holderId)) {
                b.header("Authorization", tokens.authorization(holderId));
            }
            HttpRequest req = b.build();
            HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() == 401 && Scopes.SERVICES.contains(holderId)) {
                tokens.invalidate(holderId);
            }
            if (resp.statusCode() != 200) {
                throw unavailable(holderId, "answered HTTP " + resp.statusCode());
            }
            return json.readTree(resp.body());
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            Log.warnf("export part of holder %s unavailable: %s", holderId, e.getClass().getSimpleName());
            throw unavailable(holderId, "is unreachable");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable(holderId, "was interrupted");
        }
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
