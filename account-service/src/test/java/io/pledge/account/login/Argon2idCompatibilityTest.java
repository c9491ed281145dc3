package io.pledge.account.login;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.Structure;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

/**
 * The two Argon2id engines compute the same hashes: the RFC 9106 test vector from both libraries, the reference
 * implementation's own vectors (and its PHC strings) through both engines and {@link PasswordHasher}, and a hash
 * stored by one verified by the other at the service's cost. Real libargon2 (Debian's libargon2-1, which
 * {@code deploy/local} installs) and real BouncyCastle; nothing is faked.
 */
class Argon2idCompatibilityTest {

    static final int M = 19456;
    static final int T = 2;
    static final int P = 1;

    static NativeArgon2id nativeEngine() {
        NativeArgon2id.Loaded loaded = NativeArgon2id.load();
        assertThat(loaded.engine()).as("libargon2 on this machine (apt-get install libargon2-1): %s", loaded.reason())
                .isPresent();
        return loaded.engine().get();
    }

    /** RFC 9106 §5.3: Argon2id v1.3, m=32, t=3, p=4, with a secret and associated data. */
    @Test
    void bothLibrariesGiveTheRfc9106TestVector() {
        byte[] password = filled(32, 0x01);
        byte[] salt = filled(16, 0x02);
        byte[] secret = filled(8, 0x03);
        byte[] ad = filled(12, 0x04);
        String tag = "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659";

        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withSalt(salt).withSecret(secret).withAdditional(ad)
                .withMemoryAsKB(32).withIterations(3).withParallelism(4).build());
        byte[] java = new byte[32];
        gen.generateBytes(password, java);
        assertThat(HexFormat.of().formatHex(java)).isEqualTo(tag);

        nativeEngine(); // the library loads and gives the known answer
        Context ctx = new Context();
        Memory out = new Memory(32);
        ctx.out = out;
        ctx.outlen = 32;
        ctx.pwd = memory(password);
        ctx.pwdlen = password.length;
        ctx.salt = memory(salt);
        ctx.saltlen = salt.length;
        ctx.secret = memory(secret);
        ctx.secretlen = secret.length;
        ctx.ad = memory(ad);
        ctx.adlen = ad.length;
        ctx.t_cost = 3;
        ctx.m_cost = 32;
        ctx.lanes = 4;
        ctx.threads = 4;
        ctx.version = 0x13;
        int rc = Native.load(NativeArgon2id.LIBRARY_NAMES[1], ContextLibrary.class).argon2id_ctx(ctx);
        assertThat(rc).isZero();
        assertThat(HexFormat.of().formatHex(out.getByteArray(0, 32))).isEqualTo(tag);
    }

    /** argon2's test.c vectors (Argon2id v1.3, "password", "somesalt", t=2, p=1) through both engines. */
    @Test
    void bothEnginesGiveTheReferenceVectors() {
        byte[] password = "password".getBytes(StandardCharsets.US_ASCII);
        byte[] salt = "somesalt".getBytes(StandardCharsets.US_ASCII);
        for (Argon2idEngine engine : new Argon2idEngine[] {nativeEngine(), new JavaArgon2id()}) {
            assertThat(HexFormat.of().formatHex(engine.derive(password, salt, 1 << 8, 2, 1, 32)))
                    .as(engine.name()).isEqualTo(NativeArgon2id.KNOWN_ANSWER_M256);
            assertThat(HexFormat.of().formatHex(engine.derive(password, salt, 1 << 16, 2, 1, 32)))
                    .as(engine.name()).isEqualTo("09316115d5cf24ed5a15a31a3ba326e5cf32edc24702987c02b6566f61913cf7");
        }
    }

    /** The reference implementation's encoded PHC strings verify in PasswordHasher on either engine. */
    @Test
    void theReferencePhcStringsVerifyOnEitherEngine() {
        for (Argon2idEngine engine : new Argon2idEngine[] {nativeEngine(), new JavaArgon2id()}) {
            PasswordHasher hasher = new PasswordHasher(engine, M, T, P, 1);
            assertThat(hasher.matches("password",
                    "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc"))
                    .as(engine.name()).isTrue();
            assertThat(hasher.matches("password",
                    "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"))
                    .as(engine.name()).isTrue();
            assertThat(hasher.matches("Password",
                    "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4"))
                    .as(engine.name()).isFalse();
        }
    }

    /** At the service's cost, a hash stored by one engine verifies on the other (and a wrong password does not). */
    @Test
    void aHashStoredByOneEngineVerifiesOnTheOther() {
        PasswordHasher nativeHasher = new PasswordHasher(nativeEngine(), M, T, P, 1);
        PasswordHasher javaHasher = new PasswordHasher(new JavaArgon2id(), M, T, P, 1);
        String password = "correct horse battery staple ✓ 密码";

        String byNative = nativeHasher.hash(password);
        String byJava = javaHasher.hash(password);
        for (String stored : new String[] {byNative, byJava}) {
            assertThat(stored).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").matches("^(\\$[^$]+){5}$");
        }
        assertThat(byNative.split("\\$")[4]).as("a fresh salt each time").isNotEqualTo(byJava.split("\\$")[4]);
        assertThat(javaHasher.matches(password, byNative)).isTrue();
        assertThat(nativeHasher.matches(password, byJava)).isTrue();
        assertThat(nativeHasher.matches(password, byNative)).isTrue();
        assertThat(javaHasher.matches(password + "x", byNative)).isFalse();
        assertThat(nativeHasher.matches(password + "x", byJava)).isFalse();
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) value);
        return b;
    }

    private static Memory memory(byte[] b) {
        Memory m = new Memory(b.length);
        m.write(0, b, 0, b.length);
        return m;
    }

    /** libargon2's argon2id_ctx, which takes a secret and associated data (the high-level calls do not). */
    interface ContextLibrary extends Library {
        int argon2id_ctx(Context context);
    }

    /** argon2.h's argon2_context. */
    @Structure.FieldOrder({"out", "outlen", "pwd", "pwdlen", "salt", "saltlen", "secret", "secretlen", "ad", "adlen",
            "t_cost", "m_cost", "lanes", "threads", "version", "allocate_cbk", "free_cbk", "flags"})
    public static class Context extends Structure {
        public Pointer out;
        public int outlen;
        public Pointer pwd;
        public int pwdlen;
        public Pointer salt;
        public int saltlen;
        public Pointer secret;
        public int secretlen;
        public Pointer ad;
        public int adlen;
        public int t_cost;
        public int m_cost;
        public int lanes;
        public int threads;
        public int version;
        public Pointer allocate_cbk;
        public Pointer free_cbk;
        public int flags;
    }
}
