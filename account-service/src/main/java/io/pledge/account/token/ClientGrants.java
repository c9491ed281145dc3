package io.pledge.account.token;

import io.pledge.account.config.AccountConfig;
import io.pledge.kit.security.Scopes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The grant table: which scopes each client holds, so which client tokens account-service issues. Pledge's own
 * services hold what {@link Scopes#SERVICE_GRANTS} says (reviewed in code with the calls they make); a downstream
 * holder holds what {@code pledge.account.grants.<client>} adds. A scope not in {@link Scopes#AUDIENCE} stops the
 * service at start. Registered holders' clients ({@code holder-<id>}) are not in this table: their scopes are what the
 * holder registry granted them ({@code io.pledge.account.client.HolderClients}).
 */
@ApplicationScoped
public class ClientGrants {

    private final Map<String, Set<String>> table;

    public ClientGrants(AccountConfig config) {
        Map<String, Set<String>> all = new HashMap<>();
        Scopes.SERVICE_GRANTS.forEach((client, scopes) -> all.put(client, new TreeSet<>(scopes)));
        config.grants().forEach((client, scopes) -> {
            if (Scopes.isHolderClient(client)) {
                throw new IllegalStateException("pledge.account.grants." + client + ": the prefix "
                        + Scopes.HOLDER_CLIENT_PREFIX + " is reserved for clients of the holder registry");
            }
            for (String s : scopes) {
                String scope = s.trim();
                if (!Scopes.AUDIENCE.containsKey(scope)) {
                    throw new IllegalStateException("pledge.account.grants." + client + " names an unknown scope: " + scope);
                }
                all.computeIfAbsent(client, c -> new TreeSet<>()).add(scope);
            }
        });
        all.replaceAll((client, scopes) -> Set.copyOf(scopes));
        this.table = Map.copyOf(all);
    }

    /** The scopes {@code client} holds at {@code audience} (none for an unknown client). */
    public Set<String> held(String client, String audience) {
        return Scopes.forAudience(table.getOrDefault(client, Set.of()), audience);
    }

    /** Every client and what it holds. */
    public Map<String, Set<String>> table() {
        return table;
    }
}
