package io.pledge.kit.security;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * The one check of client tokens against an endpoint's {@link AllowedClients}: used by {@link ClientAccessInterceptor}
 * for every REST endpoint and directly by a service's own Vert.x routes. A refusal is logged with the client id and
 * the scope (never a subject).
 */
@ApplicationScoped
public class ClientAccess {

    private final String service;
    private final Map<List<String>, Set<String>> expanded = new ConcurrentHashMap<>();

    public ClientAccess(@ConfigProperty(name = "quarkus.application.name") String service) {
        this.service = service;
    }

    /** This service's name, the audience its client tokens must carry. */
    public String service() {
        return service;
    }

    /**
     * Why this token may not call an endpoint open to {@code clients} with {@code scope}; empty when it may (also
     * when it is no client token: subject and staff tokens are judged by their roles). A named client must be in
     * {@code clients}; a registered holder's client ({@link Scopes#isHolderClient}, whose scopes account-service grants
     * only from the holder registry) needs no list: it passes where its token carries the endpoint's scope, and only
     * for a scope a holder may be granted at all ({@link Scopes#HOLDER_GRANTABLE}).
     */
    public Optional<String> refusal(JsonWebToken token, String[] clients, String scope) {
        if (token == null || token.getGroups() == null || !token.getGroups().contains(Roles.HOLDER)) {
            return Optional.empty();
        }
        String client = token.getSubject();
        Set<String> audience = token.getAudience() == null ? Set.of() : token.getAudience();
        String why = null;
        if (!audience.contains(service)) {
            why = "This client token is not meant for " + service + ".";
        } else if (Scopes.isHolderClient(client) ? !Scopes.HOLDER_GRANTABLE.contains(scope)
                : !allowed(clients).contains("*") && !allowed(clients).contains(client)) {
            why = "This client may not call this endpoint.";
        } else if (!Scopes.of(token).contains(scope)) {
            why = "This client token does not carry the scope " + scope + ".";
        }
        if (why != null) {
            Log.infof("client %s refused at an endpoint needing scope %s: %s", client, scope, why);
        }
        return Optional.ofNullable(why);
    }

    private Set<String> allowed(String[] clients) {
        return expanded.computeIfAbsent(List.of(clients), list -> list.stream().flatMap(c -> {
            if (c.startsWith("${") && c.endsWith("}")) {
                return ConfigProvider.getConfig().getOptionalValues(c.substring(2, c.length() - 1), String.class)
                        .orElse(List.of()).stream().map(String::trim);
            }
            return Arrays.stream(new String[] {c});
        }).collect(Collectors.toUnmodifiableSet()));
    }
}
