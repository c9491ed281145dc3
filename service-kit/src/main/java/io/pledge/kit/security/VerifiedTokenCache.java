package io.pledge.kit.security;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTParser;
import io.smallrye.jwt.auth.principal.ParseException;
import jakarta.annotation.Priority;
import jakarta.decorator.Decorator;
import jakarta.decorator.Delegate;
import jakarta.inject.Inject;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.SecretKey;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Remembers bearer tokens this service has already verified, until they expire, so that a client sending the
 * same token on every call (a holder checking consent thousands of times a second) pays for parsing and the
 * signature check once instead of on every request. Only the default path, {@link #parse(String)} with the
 * configured verification key, is cached; a token that failed verification is never remembered, and a cached
 * token is dropped the moment its {@code exp} passes. Caching changes nothing about what is accepted: a token is
 * valid here exactly as long as it was without the cache (bearer tokens are not revoked before they expire, see
 * the README). Bounded by {@code pledge.security.verified-token-cache.max} (0 turns it off).
 */
@Decorator
@Priority(10)
public class VerifiedTokenCache implements JWTParser {

    private static final Clock CLOCK = Clock.systemUTC();

    private final Map<String, JsonWebToken> verified = new ConcurrentHashMap<>();

    @Inject
    @Delegate
    JWTParser delegate;

    @Inject
    @ConfigProperty(name = "pledge.security.verified-token-cache.max", defaultValue = "10000")
    int max;

    @Override
    public JsonWebToken parse(String token) throws ParseException {
        if (max <= 0 || token == null) {
            return delegate.parse(token);
        }
        long now = CLOCK.millis() / 1000;
        JsonWebToken known = verified.get(token);
        if (known != null) {
            if (known.getExpirationTime() > now) {
                return known;
            }
            verified.remove(token);
        }
        JsonWebToken fresh = delegate.parse(token);
        if (fresh.getExpirationTime() > now) {
            if (verified.size() >= max) {
                evict(now);
            }
            verified.put(token, fresh);
        }
        return fresh;
    }

    /** Drops expired tokens; if the cache is still full, drops about a quarter of it (any quarter will do). */
    private void evict(long now) {
        verified.values().removeIf(t -> t.getExpirationTime() <= now);
        if (verified.size() >= max) {
            int drop = Math.max(1, max / 4);
            Iterator<String> it = verified.keySet().iterator();
            while (drop-- > 0 && it.hasNext()) {
                it.next();
                it.remove();
            }
        }
    }

    @Override
    public JsonWebToken parse(String token, JWTAuthContextInfo context) throws ParseException {
        return delegate.parse(token, context);
    }

    @Override
    public JsonWebToken verify(String token, PublicKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, SecretKey key) throws ParseException {
        return delegate.verify(token, key);
    }

    @Override
    public JsonWebToken verify(String token, String secret) throws ParseException {
        return delegate.verify(token, secret);
    }

    @Override
    public JsonWebToken decrypt(String token, PrivateKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, SecretKey key) throws ParseException {
        return delegate.decrypt(token, key);
    }

    @Override
    public JsonWebToken decrypt(String token, String secret) throws ParseException {
        return delegate.decrypt(token, secret);
    }

    @Override
    public JsonWebToken parseOnly(String token) throws ParseException {
        return delegate.parseOnly(token);
    }
}
