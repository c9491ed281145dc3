package io.pledge.kit.crypto;

import java.util.List;

/**
 * The key-encryption key (KEK) that wraps every subject's data key. One per service, never one per
 * subject. Two implementations, chosen by {@code pledge.crypto.kek}: {@link LocalFileKek} (the
 * embedded default) and {@link VaultTransitKek} (production: Vault's transit engine through
 * quarkus-vault). Batch methods so that a rotation re-wraps thousands of keys in few calls.
 */
public interface KeyEncryptionKey {

    /**
     * A wrapped data key as stored: the KEK version that wrapped it, qualified by the KEK's kind
     * ({@code local:v2}, {@code vault:v5}), and the opaque ciphertext.
     */
    record Wrapped(String kekVersion, String ciphertext) {
    }

    /** Wraps data keys with the current KEK version. */
    List<Wrapped> wrap(List<byte[]> dataKeys);

    /**
     * Unwraps data keys, whichever KEK version wrapped them.
     *
     * @throws KeyUnavailableException when a key cannot be unwrapped (wrong KEK, tampered ciphertext)
     */
    List<byte[]> unwrap(List<Wrapped> wrapped);

    /** Re-wraps with the current KEK version without exposing the data keys where the KEK can avoid it. */
    List<Wrapped> rewrap(List<Wrapped> wrapped);

    /** The version new wraps use, qualified by kind, e.g. {@code local:v3} or {@code vault:v3}. */
    String currentVersion();

    /** Creates a new KEK version that becomes current; older versions still unwrap. */
    void rotate();
}
