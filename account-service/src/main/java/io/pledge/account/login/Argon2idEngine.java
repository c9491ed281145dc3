package io.pledge.account.login;

/**
 * One Argon2id (version 1.3, RFC 9106) computation: the raw tag of a password for a salt and a cost.
 * {@link PasswordHasher} owns the PHC string, the comparison and the bound on concurrent hashes, so every
 * engine reads and writes the same stored hashes.
 */
interface Argon2idEngine {

    /** What computes the hashes, for the startup log: a library name or path, never a value. */
    String name();

    /** The {@code length}-byte Argon2id tag of {@code password} under {@code salt} at cost m (KiB), t, p. */
    byte[] derive(byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length);
}
