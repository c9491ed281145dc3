package io.pledge.kit.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** RFC 6238 Appendix B's published SHA-1 test vectors, and the Base32 vectors of RFC 4648 section 10. Pure logic. */
class TotpTest {

    /** The Appendix B seed for HMAC-SHA1: the ASCII string "12345678901234567890". */
    private static final byte[] SEED = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @Test
    void rfc6238AppendixBSha1Vectors() {
        assertThat(Totp.code(SEED, Totp.step(59L), 8)).isEqualTo("94287082");
        assertThat(Totp.code(SEED, Totp.step(1111111109L), 8)).isEqualTo("07081804");
        assertThat(Totp.code(SEED, Totp.step(1111111111L), 8)).isEqualTo("14050471");
        assertThat(Totp.code(SEED, Totp.step(1234567890L), 8)).isEqualTo("89005924");
        assertThat(Totp.code(SEED, Totp.step(2000000000L), 8)).isEqualTo("69279037");
        assertThat(Totp.code(SEED, Totp.step(20000000000L), 8)).isEqualTo("65353130");
        // the table's T column, in hex
        assertThat(Totp.step(1111111109L)).isEqualTo(0x23523ECL);
        assertThat(Totp.step(20000000000L)).isEqualTo(0x27BC86AAL);
    }

    @Test
    void sixDigitCodesAreTheLowDigitsOfTheSameTruncation() {
        // RFC 4226 5.3: the code is Snum mod 10^Digit, so 6 digits are the last 6 of the 8-digit vector
        assertThat(Totp.code(SEED, Totp.step(59L), 6)).isEqualTo("287082");
        assertThat(Totp.code(SEED, Totp.step(1234567890L), 6)).isEqualTo("005924");
    }

    @Test
    void aCodeMatchesWithinOneStepOnlyAndSaysWhichStep() {
        long now = Totp.step(1111111111L);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, now, 6), now, 1)).isEqualTo(now);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, now - 1, 6), now, 1)).isEqualTo(now - 1);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, now + 1, 6), now, 1)).isEqualTo(now + 1);
        assertThat(Totp.matchingStep(SEED, Totp.code(SEED, now - 2, 6), now, 1)).isEqualTo(-1);
        assertThat(Totp.matchingStep(SEED, "12345", now, 1)).isEqualTo(-1);
        assertThat(Totp.matchingStep(SEED, null, now, 1)).isEqualTo(-1);
    }

    @Test
    void base32AsRfc4648Section10() {
        assertThat(Totp.base32("".getBytes(StandardCharsets.US_ASCII))).isEmpty();
        assertThat(Totp.base32("f".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MY");
        assertThat(Totp.base32("fo".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXQ");
        assertThat(Totp.base32("foo".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6");
        assertThat(Totp.base32("foob".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YQ");
        assertThat(Totp.base32("fooba".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTB");
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(Totp.fromBase32("MZXW6YTBOI======")).isEqualTo("foobar".getBytes(StandardCharsets.US_ASCII));
        assertThat(Totp.fromBase32(Totp.base32(SEED))).isEqualTo(SEED);
    }
}
