package io.pledge.account.login;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/** Argon2id in pure Java (BouncyCastle's {@link Argon2BytesGenerator}): the fallback where libargon2 is missing. */
final class JavaArgon2id implements Argon2idEngine {

    @Override
    public String name() {
        return "BouncyCastle (pure Java)";
    }

    @Override
    public byte[] derive(byte[] password, byte[] salt, int memoryKib, int iterations, int parallelism, int length) {
        Argon2BytesGenerator gen = new Argon2BytesGenerator();
        gen.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withSalt(salt).withMemoryAsKB(memoryKib).withIterations(iterations).withParallelism(parallelism)
                .build());
        byte[] out = new byte[length];
        gen.generateBytes(password, out);
        return out;
    }
}
