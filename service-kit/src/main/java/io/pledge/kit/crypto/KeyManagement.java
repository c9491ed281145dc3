package io.pledge.kit.crypto;

import io.pledge.kit.config.CryptoConfig;
import io.quarkus.logging.Log;
import io.quarkus.scheduler.Scheduled;
import io.quarkus.vault.VaultTransitSecretEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Chooses the KEK by {@code pledge.crypto.kek} and runs rotation: a new KEK version, then every
 * data key re-wrapped in the background (and on a schedule, to finish any that a restart cut off).
 */
@ApplicationScoped
public class KeyManagement {

    private final SubjectKeyRing ring;
    private final KeyEncryptionKey kek;

    public KeyManagement(SubjectKeyRing ring, KeyEncryptionKey kek) {
        this.ring = ring;
        this.kek = kek;
    }

    @Produces
    @Singleton
    static KeyEncryptionKey keyEncryptionKey(CryptoConfig config, Instance<VaultTransitSecretEngine> vault,
                                             @ConfigProperty(name = "quarkus.application.name") String application,
                                             @ConfigProperty(name = "pledge.data-dir") Path dataDir,
                                             @ConfigProperty(name = "pledge.keys.generate-if-missing") boolean generate) {
        return switch (config.kek()) {
            case "local-file" -> new LocalFileKek(config.localKekFile().orElse(dataDir.resolve(application).resolve("kek")),
                    generate);
            case "vault-transit" -> new VaultTransitKek(vault.get(), config.vaultKey().orElse("pledge-" + application));
            default -> throw new IllegalStateException("pledge.crypto.kek must be local-file or vault-transit, not " + config.kek());
        };
    }

    /** Rotates the KEK and re-wraps every data key to the new version; returns how many were re-wrapped. */
    public synchronized int rotateAndRewrap() {
        kek.rotate();
        int n = ring.rewrapAll();
        Log.infof("KEK rotated to %s; %d data keys re-wrapped", kek.currentVersion(), n);
        return n;
    }

    public String currentVersion() {
        return kek.currentVersion();
    }

    @Scheduled(every = "${pledge.crypto.rewrap-every:1h}", delayed = "2m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void finishRewrapping() {
        int n = ring.rewrapAll();
        if (n > 0) {
            Log.infof("re-wrapped %d data keys left on an older KEK version", n);
        }
    }
}
