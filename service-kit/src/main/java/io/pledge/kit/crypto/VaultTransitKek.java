package io.pledge.kit.crypto;

import io.quarkus.vault.VaultTransitSecretEngine;
import io.quarkus.vault.transit.ClearData;
import io.quarkus.vault.transit.DecryptionRequest;
import io.quarkus.vault.transit.EncryptionRequest;
import io.quarkus.vault.transit.RewrappingRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Production KEK: Vault's transit engine through quarkus-vault. One transit key per service
 * ({@code pledge.crypto.vault-key}, e.g. {@code pledge-account-service}) — never one per subject,
 * since Vault keeps every transit key in memory. Data keys are wrapped, unwrapped and re-wrapped in
 * batches; rotation is Vault's own key rotation, and {@code rewrap} moves ciphertext to the newest
 * version without the data keys leaving Vault.
 */
public final class VaultTransitKek implements KeyEncryptionKey {

    private final VaultTransitSecretEngine transit;
    private final String keyName;

    public VaultTransitKek(VaultTransitSecretEngine transit, String keyName) {
        this.transit = transit;
        this.keyName = keyName;
    }

    @Override
    public List<Wrapped> wrap(List<byte[]> dataKeys) {
        List<EncryptionRequest> requests = dataKeys.stream().map(k -> new EncryptionRequest(new ClearData(k))).toList();
        Map<EncryptionRequest, String> result = transit.encrypt(keyName, requests);
        List<Wrapped> out = new ArrayList<>(requests.size());
        for (EncryptionRequest r : requests) {
            out.add(wrapped(result.get(r)));
        }
        return out;
    }

    @Override
    public List<byte[]> unwrap(List<Wrapped> wrapped) {
        List<DecryptionRequest> requests = wrapped.stream().map(w -> new DecryptionRequest(w.ciphertext())).toList();
        Map<DecryptionRequest, ClearData> result;
        try {
            result = transit.decrypt(keyName, requests);
        } catch (RuntimeException e) {
            throw new KeyUnavailableException("Vault transit key " + keyName + " could not unwrap a data key", e);
        }
        List<byte[]> out = new ArrayList<>(requests.size());
        for (DecryptionRequest r : requests) {
            out.add(result.get(r).getValue());
        }
        return out;
    }

    @Override
    public List<Wrapped> rewrap(List<Wrapped> wrapped) {
        List<RewrappingRequest> requests = wrapped.stream().map(w -> new RewrappingRequest(w.ciphertext())).toList();
        Map<RewrappingRequest, String> result = transit.rewrap(keyName, requests);
        List<Wrapped> out = new ArrayList<>(requests.size());
        for (RewrappingRequest r : requests) {
            out.add(wrapped(result.get(r)));
        }
        return out;
    }

    @Override
    public String currentVersion() {
        // the version of a fresh wrap is the current one; Vault says it in the ciphertext prefix
        return wrap(List.of(new byte[32])).get(0).kekVersion();
    }

    @Override
    public void rotate() {
        transit.rotateKey(keyName);
    }

    private static Wrapped wrapped(String ciphertext) {
        // vault:v3:base64...
        String[] parts = ciphertext.split(":", 3);
        return new Wrapped(parts.length == 3 ? parts[0] + ":" + parts[1] : "vault:v?", ciphertext);
    }
}
