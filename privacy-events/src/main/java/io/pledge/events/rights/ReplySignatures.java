package io.pledge.events.rights;

import io.pledge.events.Jcs;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Holder signatures over {@link HolderReplied#signingInput()}, with plain JCA, for any Java holder and for Pledge's
 * verification: Ed25519 ({@code EdDSA}) or ECDSA P-256 with SHA-256 in the 64-byte r||s form of JWS ES256, signature
 * base64url without padding. Public keys travel as JWKs ({@code {"kty":"OKP","crv":"Ed25519","x":...}} or
 * {@code {"kty":"EC","crv":"P-256","x":...,"y":...}}) named by {@code kid}, by default their RFC 7638 thumbprint.
 * The privacy-events README describes the scheme for holders in other languages.
 */
public final class ReplySignatures {

    /** The X.509 SubjectPublicKeyInfo prefix of every Ed25519 public key (RFC 8410), followed by its 32 bytes. */
    private static final byte[] ED25519_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    private ReplySignatures() {
    }

    /** The reply signed by {@code key} under {@code keyId} (an Ed25519 or P-256 private key). */
    public static HolderReplied sign(HolderReplied reply, String keyId, PrivateKey key) {
        try {
            Signature s = Signature.getInstance(algorithm(key.getAlgorithm()));
            s.initSign(key);
            s.update(reply.signingInput());
            return reply.signedWith(keyId, B64.encodeToString(s.sign()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign a reply with a " + key.getAlgorithm() + " key", e);
        }
    }

    /** Whether the reply's signature is {@code key}'s over its signing input; false for an unsigned or garbled one. */
    public static boolean verify(HolderReplied reply, PublicKey key) {
        if (reply.signature() == null || key == null) {
            return false;
        }
        try {
            byte[] sig = B64D.decode(reply.signature());
            Signature s = Signature.getInstance(algorithm(key.getAlgorithm()));
            s.initVerify(key);
            s.update(reply.signingInput());
            return s.verify(sig);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String algorithm(String keyAlgorithm) throws GeneralSecurityException {
        return switch (keyAlgorithm) {
            case "EdDSA", "Ed25519" -> "Ed25519";
            case "EC" -> "SHA256withECDSAinP1363Format";
            default -> throw new GeneralSecurityException("a holder key is Ed25519 or EC P-256, not " + keyAlgorithm);
        };
    }

    /**
     * The public key of a JWK; an unsupported or malformed one is refused with {@link IllegalArgumentException}
     * (its message names what is wrong, never key material).
     */
    public static PublicKey publicKey(Map<String, ?> jwk) {
        Object kty = jwk.get("kty");
        Object crv = jwk.get("crv");
        try {
            if ("OKP".equals(kty) && "Ed25519".equals(crv)) {
                byte[] x = part(jwk, "x", 32);
                byte[] der = Arrays.copyOf(ED25519_PREFIX, ED25519_PREFIX.length + 32);
                System.arraycopy(x, 0, der, ED25519_PREFIX.length, 32);
                return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            }
            if ("EC".equals(kty) && "P-256".equals(crv)) {
                ECPoint w = new ECPoint(new BigInteger(1, part(jwk, "x", 32)), new BigInteger(1, part(jwk, "y", 32)));
                ECParameterSpec p256 = p256();
                if (!onCurve(w, p256)) {
                    throw new IllegalArgumentException("the JWK's point is not on P-256");
                }
                return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, p256));
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("the JWK is not a valid " + crv + " public key");
        }
        throw new IllegalArgumentException("a holder key is a JWK of kty OKP with crv Ed25519, or kty EC with crv P-256");
    }

    /** The public JWK (kty, crv, x[, y], kid) of an Ed25519 or P-256 public key. */
    public static Map<String, Object> jwk(PublicKey key, String keyId) {
        Map<String, Object> jwk = new TreeMap<>(thumbprintMembers(key));
        if (keyId != null) {
            jwk.put("kid", keyId);
        }
        return jwk;
    }

    /** The RFC 7638 thumbprint (SHA-256, base64url) of a JWK: the default key id. */
    public static String thumbprint(Map<String, ?> jwk) {
        return thumbprintOf(publicKey(jwk));
    }

    /** The RFC 7638 thumbprint of a public key. */
    public static String thumbprintOf(PublicKey key) {
        try {
            return B64.encodeToString(MessageDigest.getInstance("SHA-256").digest(Jcs.bytes(thumbprintMembers(key))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The JWS algorithm name of a key: {@code EdDSA} or {@code ES256}. */
    public static String jwsAlgorithm(PublicKey key) {
        return "EC".equals(key.getAlgorithm()) ? "ES256" : "EdDSA";
    }

    private static Map<String, Object> thumbprintMembers(PublicKey key) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (key instanceof ECPublicKey ec) {
            m.put("crv", "P-256");
            m.put("kty", "EC");
            m.put("x", B64.encodeToString(fixed(ec.getW().getAffineX())));
            m.put("y", B64.encodeToString(fixed(ec.getW().getAffineY())));
            return m;
        }
        byte[] der = key.getEncoded();
        if (!"X.509".equals(key.getFormat()) || der.length != ED25519_PREFIX.length + 32
                || !Arrays.equals(Arrays.copyOf(der, ED25519_PREFIX.length), ED25519_PREFIX)) {
            throw new IllegalArgumentException("a holder key is Ed25519 or EC P-256");
        }
        m.put("crv", "Ed25519");
        m.put("kty", "OKP");
        m.put("x", B64.encodeToString(Arrays.copyOfRange(der, ED25519_PREFIX.length, der.length)));
        return m;
    }

    private static byte[] part(Map<String, ?> jwk, String name, int length) {
        Object v = jwk.get(name);
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("the JWK has no " + name);
        }
        byte[] b;
        try {
            b = B64D.decode(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the JWK's " + name + " is not base64url");
        }
        if (b.length != length) {
            throw new IllegalArgumentException("the JWK's " + name + " is not " + length + " bytes");
        }
        return b;
    }

    private static byte[] fixed(BigInteger n) {
        byte[] b = n.toByteArray();
        if (b.length == 32) {
            return b;
        }
        byte[] out = new byte[32];
        int copy = Math.min(32, b.length);
        System.arraycopy(b, b.length - copy, out, 32 - copy, copy);
        return out;
    }

    /** y^2 = x^3 + ax + b (mod p), with both coordinates below p: the JDK does not check a public point. */
    private static boolean onCurve(ECPoint w, ECParameterSpec spec) {
        BigInteger p = ((java.security.spec.ECFieldFp) spec.getCurve().getField()).getP();
        BigInteger x = w.getAffineX();
        BigInteger y = w.getAffineY();
        if (x.compareTo(p) >= 0 || y.compareTo(p) >= 0) {
            return false;
        }
        BigInteger right = x.pow(3).add(spec.getCurve().getA().multiply(x)).add(spec.getCurve().getB()).mod(p);
        return y.pow(2).mod(p).equals(right);
    }

    private static ECParameterSpec p256() throws GeneralSecurityException {
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        return p.getParameterSpec(ECParameterSpec.class);
    }
}
