package io.pledge.kit.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.SocketAddress;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The client address of an HTTP request, for rate limits and coarse usage records: {@code X-Forwarded-For} counts only
 * when the TCP peer is one of {@code pledge.http.trusted-proxies} (CIDRs; default {@code 127.0.0.1/32,::1/128}, the
 * gateway of the embedded default), read right to left ({@link TrustedProxies}). Quarkus' own forwarding
 * ({@code quarkus.http.proxy.proxy-address-forwarding}) must be off in a service that uses this, so that the peer is
 * the socket's.
 */
@ApplicationScoped
public class ClientAddresses {

    private final TrustedProxies proxies;

    public ClientAddresses(@ConfigProperty(name = "pledge.http.trusted-proxies", defaultValue = "127.0.0.1/32,::1/128")
                           List<String> trustedProxies) {
        this.proxies = TrustedProxies.of(trustedProxies);
    }

    /** The address rate limits count {@code request} under. */
    public String of(HttpServerRequest request) {
        SocketAddress peer = request.connection() != null ? request.connection().remoteAddress() : request.remoteAddress();
        String direct = peer == null ? null : peer.hostAddress();
        return proxies.clientAddress(direct, request.headers().getAll("X-Forwarded-For"));
    }

    /** The trusted proxies, for the resolution itself. */
    public TrustedProxies proxies() {
        return proxies;
    }
}
