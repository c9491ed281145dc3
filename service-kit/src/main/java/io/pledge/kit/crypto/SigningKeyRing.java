package io.pledge.kit.crypto;

import io.quarkus.logging.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A service's signing keys in one folder, so that every replica signs with the same key and anything
 * signed by an earlier key still verifies after a rotation. Layout (also the keys of the Kubernetes
 * Secret mounted there, deploy/README.md):
 * <pre>
 *   current            the key id (kid) that signs now
 *   &lt;kid&gt;.key.pem   its private key, PKCS#8 PEM (mode 0600); retired keys need none
 *   &lt;kid&gt;.pub.pem   the X.509 public key of every key still needed to verify, current and retired
 * </pre>
 * A key id is the file name's stem and must be the base64url SHA-256 of the X.509 public key, so
 * that anyone holding the key can check the id a signature names. A folder in the older two-file layout (one private and one public PEM) is
 * read as one key (account-service's first JWT key is still generated in it, for tools that read
 * {@code signing-key.pem}). On the embedded default an empty folder gets a key on first start, race-free
 * between processes ({@link SecretFiles}); in production generation is off and the folder is a
 * read-only Secret. The ring re-reads the folder at most every {@value #REFRESH_SECONDS} s when asked
 * for the signing key, and when asked for a key id it does not know, so an updated Secret takes effect
 * without a restart.
 */
public final class SigningKeyRing {

    public static final String CURRENT = "current";
    public static final String PRIVATE_SUFFIX = ".key.pem";
    public static final String PUBLIC_SUFFIX = ".pub.pem";
    static final String KEY_ID_PATTERN = "[A-Za-z0-9_-]{1,64}";
    private static final Pattern KEY_ID = Pattern.compile(KEY_ID_PATTERN);
    private static final long REFRESH_SECONDS = 30;
    private static final long UNKNOWN_KID_RESCAN_MILLIS = 1000;

    /**
     * What the folder holds and how to say so.
     *
     * @param what a name for messages, e.g. {@code "JWT signing key"}; never key material
     * @param secretName the Kubernetes Secret production mounts there, named in the error when it is missing
     * @param legacyPrivate the private-key file of the older two-file layout, or null
     * @param legacyPublic its public-key file, or null
     * @param legacyKeyId the key id tokens signed by the older layout's key carry (their kid), or null
     * @param firstInLegacyLayout generate the first key in the older layout (RSA only), for tools that read that
     *                            file; rotation then adds keys in the folder layout
     */
    public record Spec(String what, String secretName, KeyPairFiles.Kind kind, String legacyPrivate, String legacyPublic,
                       Function<PublicKey, String> legacyKeyId, boolean firstInLegacyLayout) {

        public Spec {
            if (firstInLegacyLayout && (kind != KeyPairFiles.Kind.RSA_2048 || legacyPrivate == null)) {
                throw new IllegalArgumentException("only an RSA key with an older layout is generated in it");
            }
        }

        public Spec(String what, String secretName, KeyPairFiles.Kind kind, String legacyPrivate, String legacyPublic,
                    Function<PublicKey, String> legacyKeyId) {
            this(what, secretName, kind, legacyPrivate, legacyPublic, legacyKeyId, false);
        }

        public Spec(String what, String secretName, KeyPairFiles.Kind kind) {
            this(what, secretName, kind, null, null, null, false);
        }
    }

    private record State(String currentKeyId, PrivateKey privateKey, Map<String, PublicKey> publicKeys) {
    }

    private final Path dir;
    private final Spec spec;
    private volatile State state;
    private volatile long readAtMillis;

    private SigningKeyRing(Path dir, Spec spec, State state) {
        this.dir = dir;
        this.spec = spec;
        this.state = state;
        this.readAtMillis = System.currentTimeMillis();
    }

    /** Reads the folder, generating a first key when it holds none and {@code generate} is on. */
    public static SigningKeyRing open(Path dir, Spec spec, boolean generate) {
        try {
            Optional<State> s = read(dir, spec);
            if (s.isEmpty()) {
                if (!generate) {
                    throw new IllegalStateException("no " + spec.what() + " in " + dir + " (no file " + CURRENT
                            + ") and key generation is off: mount the Secret " + spec.secretName() + " there");
                }
                generateFirst(dir, spec);
                s = read(dir, spec);
            }
            return new SigningKeyRing(dir, spec, s.orElseThrow(() -> new IllegalStateException(
                    "the " + spec.what() + " generated in " + dir + " vanished")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the " + spec.what() + " in " + dir, e);
        }
    }

    /**
     * Adds a new key to {@code dir} and makes it current; the previous keys stay as retired keys (their
     * public halves keep verifying). Returns the new key id.
     */
    public static String rotate(Path dir, KeyPairFiles.Kind kind) {
        try {
            String kid = writeNewKey(dir, kind);
            SecretFiles.replace(dir, CURRENT, (kid + "\n").getBytes(StandardCharsets.US_ASCII), false);
            Log.infof("rotated the signing key in %s to %s", dir, kid);
            return kid;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot rotate the signing key in " + dir, e);
        }
    }

    /** The key id of a generated key: base64url (no padding) of SHA-256 over the X.509 public key. */
    public static String keyId(PublicKey key) {
        try {
            return Base64.getUrlEncoder().withoutPadding().encodeToString(
                    MessageDigest.getInstance("SHA-256").digest(key.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The id of the key that signs now. */
    public String currentKeyId() {
        return fresh().currentKeyId();
    }

    /** The private key that signs now. */
    public PrivateKey privateKey() {
        return fresh().privateKey();
    }

    /** The key that signs now and its id, read together (one consistent pair across a refresh). */
    public Map.Entry<String, PrivateKey> signingKey() {
        State s = fresh();
        return Map.entry(s.currentKeyId(), s.privateKey());
    }

    /** The public key of {@code keyId}, current or retired; re-reads the folder once when it is unknown. */
    public Optional<PublicKey> publicKey(String keyId) {
        if (keyId == null || !KEY_ID.matcher(keyId).matches()) {
            return Optional.empty();
        }
        PublicKey k = state.publicKeys().get(keyId);
        if (k == null && System.currentTimeMillis() - readAtMillis > UNKNOWN_KID_RESCAN_MILLIS) {
            refresh();
            k = state.publicKeys().get(keyId);
        }
        return Optional.ofNullable(k);
    }

    /** Every public key still needed to verify, by key id, the current one first. */
    public Map<String, PublicKey> publicKeys() {
        return fresh().publicKeys();
    }

    /**
     * Re-reads the folder now (a rotated Secret, a key added by {@link #rotate}). A folder that cannot
     * be read keeps the keys already loaded: signing goes on with the last good key.
     */
    public void refresh() {
        try {
            Optional<State> s = read(dir, spec);
            if (s.isPresent()) {
                if (!s.get().currentKeyId().equals(state.currentKeyId())) {
                    Log.infof("the %s in %s is now %s", spec.what(), dir, s.get().currentKeyId());
                }
                state = s.get();
            }
        } catch (IOException | RuntimeException e) {
            Log.warnf("cannot re-read the %s in %s, keeping %s: %s", spec.what(), dir, state.currentKeyId(),
                    e.getClass().getSimpleName());
        } finally {
            readAtMillis = System.currentTimeMillis();
        }
    }

    private State fresh() {
        if (System.currentTimeMillis() - readAtMillis > REFRESH_SECONDS * 1000) {
            refresh();
        }
        return state;
    }

    private static Optional<State> read(Path dir, Spec spec) throws IOException {
        Map<String, PublicKey> keys = new TreeMap<>();
        String currentKid = null;
        PrivateKey currentPrivate = null;
        Path current = dir.resolve(CURRENT);
        // the pointer first, the keys after: a key is written before the pointer names it, so a pointer read
        // now names a key the listing below finds (read the other way round, a first key published between
        // the two reads would be missing)
        String pointer = Files.exists(current) ? Files.readString(current, StandardCharsets.US_ASCII).strip() : null;
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + PUBLIC_SUFFIX)) {
                for (Path f : files) {
                    String name = f.getFileName().toString();
                    String kid = name.substring(0, name.length() - PUBLIC_SUFFIX.length());
                    if (!KEY_ID.matcher(kid).matches()) {
                        continue;
                    }
                    try {
                        PublicKey key = publicKey(spec, f);
                        if (!kid.equals(keyId(key))) {
                            // self-certifying ids: a verifier (audit's VerifyBundle, a certificate holder) checks
                            // the kid against the key itself
                            throw new IllegalStateException("the " + spec.what() + " file " + f + " must be named after its "
                                    + "key id, base64url(SHA-256(X.509 public key)) = " + keyId(key));
                        }
                        keys.put(kid, key);
                    } catch (NoSuchFileException gone) {
                        // a key another instance lost a race with and removed
                    }
                }
            }
        }
        if (pointer != null) {
            currentKid = pointer;
            if (!KEY_ID.matcher(currentKid).matches()) {
                throw new IllegalStateException("the file " + current + " does not hold a key id (" + KEY_ID_PATTERN + ")");
            }
            Path priv = dir.resolve(currentKid + PRIVATE_SUFFIX);
            if (!Files.exists(priv) || !keys.containsKey(currentKid)) {
                throw new IllegalStateException("the current " + spec.what() + " " + currentKid + " in " + dir + " needs "
                        + currentKid + PRIVATE_SUFFIX + " and " + currentKid + PUBLIC_SUFFIX
                        + " (keys of the Secret " + spec.secretName() + ")");
            }
            currentPrivate = privateKey(spec, priv);
        }
        // the older pair counts once both files are there (its public file is published after the private one)
        if (spec.legacyPrivate() != null && Files.exists(dir.resolve(spec.legacyPublic()))) {
            PublicKey legacy = publicKey(spec, dir.resolve(spec.legacyPublic()));
            String kid = spec.legacyKeyId() == null ? keyId(legacy) : spec.legacyKeyId().apply(legacy);
            keys.putIfAbsent(kid, legacy);
            if (currentKid == null && Files.exists(dir.resolve(spec.legacyPrivate()))) {
                currentKid = kid;
                currentPrivate = privateKey(spec, dir.resolve(spec.legacyPrivate()));
            }
        }
        if (currentKid == null) {
            return Optional.empty();
        }
        checkPair(spec, currentKid, currentPrivate, keys.get(currentKid));
        Map<String, PublicKey> ordered = new LinkedHashMap<>();
        ordered.put(currentKid, keys.get(currentKid));
        ordered.putAll(keys);
        return Optional.of(new State(currentKid, currentPrivate, Collections.unmodifiableMap(ordered)));
    }

    private static void generateFirst(Path dir, Spec spec) throws IOException {
        if (spec.firstInLegacyLayout()) {
            generateFirstInLegacyLayout(dir, spec);
            return;
        }
        try {
            String kid = writeNewKey(dir, spec.kind());
            if (SecretFiles.publishOnce(dir, CURRENT, (kid + "\n").getBytes(StandardCharsets.US_ASCII), false)) {
                Log.infof("generated a new %s %s in %s", spec.what(), kid, dir);
            } else {
                // another instance published its key first: use that one, drop ours
                Files.deleteIfExists(dir.resolve(kid + PRIVATE_SUFFIX));
                Files.deleteIfExists(dir.resolve(kid + PUBLIC_SUFFIX));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + spec.what(), e);
        }
    }

    /**
     * The first RSA key as the older pair of files, race-free: the first private key published wins, and every
     * instance derives the public half from the winner's (so whichever public file lands, it is the same).
     */
    private static void generateFirstInLegacyLayout(Path dir, Spec spec) throws IOException {
        try {
            KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
            gen.initialize(2048);
            KeyPair pair = gen.generateKeyPair();
            if (SecretFiles.publishOnce(dir, spec.legacyPrivate(),
                    KeyPairFiles.toPem("PRIVATE KEY", pair.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII), true)) {
                Log.infof("generated a new %s in %s", spec.what(), dir);
            }
            PrivateKey winner = privateKey(spec, dir.resolve(spec.legacyPrivate()));
            if (!(winner instanceof java.security.interfaces.RSAPrivateCrtKey crt)) {
                throw new IllegalStateException("the " + spec.what() + " in " + dir + " is not an RSA CRT private key");
            }
            PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(
                    new java.security.spec.RSAPublicKeySpec(crt.getModulus(), crt.getPublicExponent()));
            SecretFiles.publishOnce(dir, spec.legacyPublic(),
                    KeyPairFiles.toPem("PUBLIC KEY", pub.getEncoded()).getBytes(StandardCharsets.US_ASCII), false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + spec.what(), e);
        }
    }

    /** Writes a new pair (public half first, so a reader that sees the private file finds its twin). */
    private static String writeNewKey(Path dir, KeyPairFiles.Kind kind) throws IOException, GeneralSecurityException {
        KeyPairGenerator gen = KeyPairGenerator.getInstance(kind.algorithm);
        if (kind == KeyPairFiles.Kind.RSA_2048) {
            gen.initialize(2048);
        } else if (kind == KeyPairFiles.Kind.EC_P256) {
            gen.initialize(new ECGenParameterSpec("secp256r1"));
        }
        KeyPair pair = gen.generateKeyPair();
        String kid = keyId(pair.getPublic());
        SecretFiles.publishOnce(dir, kid + PUBLIC_SUFFIX,
                KeyPairFiles.toPem("PUBLIC KEY", pair.getPublic().getEncoded()).getBytes(StandardCharsets.US_ASCII), false);
        SecretFiles.publishOnce(dir, kid + PRIVATE_SUFFIX,
                KeyPairFiles.toPem("PRIVATE KEY", pair.getPrivate().getEncoded()).getBytes(StandardCharsets.US_ASCII), true);
        return kid;
    }

    /** A current key whose two halves do not belong together would sign what nothing verifies: refuse it. */
    private static void checkPair(Spec spec, String kid, PrivateKey privateKey, PublicKey publicKey) {
        String algorithm = switch (spec.kind()) {
            case RSA_2048 -> "SHA256withRSA";
            case EC_P256 -> "SHA256withECDSA";
            case ED25519 -> "Ed25519";
        };
        try {
            byte[] probe = "pledge key pair check".getBytes(StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(algorithm);
            s.initSign(privateKey);
            s.update(probe);
            byte[] signature = s.sign();
            Signature v = Signature.getInstance(algorithm);
            v.initVerify(publicKey);
            v.update(probe);
            if (!v.verify(signature)) {
                throw new IllegalStateException("the private and public files of the " + spec.what() + " " + kid
                        + " are not one key pair (Secret " + spec.secretName() + ")");
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot check the " + spec.what() + " " + kid, e);
        }
    }

    private static PublicKey publicKey(Spec spec, Path file) throws IOException {
        try {
            return KeyFactory.getInstance(spec.kind().algorithm).generatePublic(new X509EncodedKeySpec(KeyPairFiles.pem(file)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the " + spec.what() + " file " + file + " is not a valid "
                    + spec.kind().algorithm + " public key (X.509 PEM)", e);
        }
    }

    private static PrivateKey privateKey(Spec spec, Path file) throws IOException {
        try {
            return KeyFactory.getInstance(spec.kind().algorithm).generatePrivate(new PKCS8EncodedKeySpec(KeyPairFiles.pem(file)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            // no exception detail: the message of a parse failure could quote key bytes
            throw new IllegalStateException("the " + spec.what() + " file " + file + " is not a valid "
                    + spec.kind().algorithm + " private key (PKCS#8 PEM; openssl genpkey writes one)");
        }
    }
}
