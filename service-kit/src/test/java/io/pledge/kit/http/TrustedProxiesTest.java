package io.pledge.kit.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which address a request is counted under: pure logic, no server (ClientAddresses wires it to Vert.x). */
class TrustedProxiesTest {

    private final TrustedProxies local = TrustedProxies.of(List.of("127.0.0.1/32", "::1/128"));
    private final TrustedProxies cluster = TrustedProxies.of(List.of("127.0.0.1/32", "10.244.0.0/16"));

    @Test
    void aSpoofedHeaderFromAnUntrustedPeerIsIgnored() {
        assertThat(local.clientAddress("203.0.113.7", List.of("10.9.9.9"))).isEqualTo("203.0.113.7");
        assertThat(local.clientAddress("203.0.113.7", List.of("127.0.0.1, 198.51.100.1"))).isEqualTo("203.0.113.7");
        assertThat(cluster.clientAddress("192.168.1.5", List.of("10.244.1.1"))).isEqualTo("192.168.1.5");
    }

    @Test
    void fromATrustedPeerTheRightMostUntrustedAddressIsTheClientNeverTheLeftMost() {
        // the gateway appends the address it saw; whatever the client wrote before stays on the left
        assertThat(local.clientAddress("127.0.0.1", List.of("198.51.100.1"))).isEqualTo("198.51.100.1");
        assertThat(local.clientAddress("127.0.0.1", List.of("1.2.3.4, 198.51.100.1"))).isEqualTo("198.51.100.1");
        // ingress pod -> gateway pod chain: both trusted, the client is the first untrusted from the right
        assertThat(cluster.clientAddress("10.244.3.4", List.of("6.6.6.6, 203.0.113.9, 10.244.0.12")))
                .isEqualTo("203.0.113.9");
        // several headers count as one list, in order
        assertThat(cluster.clientAddress("10.244.3.4", List.of("6.6.6.6", "203.0.113.9"))).isEqualTo("203.0.113.9");
    }

    @Test
    void noHeaderOrOnlyTrustedHopsOrGarbage() {
        assertThat(local.clientAddress("127.0.0.1", List.of())).isEqualTo("127.0.0.1");
        assertThat(local.clientAddress("127.0.0.1", null)).isEqualTo("127.0.0.1");
        assertThat(cluster.clientAddress("10.244.3.4", List.of("10.244.0.9"))).isEqualTo("10.244.0.9");
        // not an address: the walk ends at the nearest hop seen, which a trusted proxy wrote
        assertThat(cluster.clientAddress("10.244.3.4", List.of("203.0.113.9, evil.example, 10.244.0.9")))
                .isEqualTo("10.244.0.9");
        assertThat(local.clientAddress("127.0.0.1", List.of("unknown"))).isEqualTo("127.0.0.1");
    }

    @Test
    void ipv6PortsBracketsAndMappedAddresses() {
        assertThat(local.clientAddress("0:0:0:0:0:0:0:1", List.of("[2001:db8::1]:4711"))).isEqualTo("2001:db8:0:0:0:0:0:1");
        assertThat(local.clientAddress("::ffff:127.0.0.1", List.of("198.51.100.2:555"))).isEqualTo("198.51.100.2");
        assertThat(local.trusts("::1")).isTrue();
        assertThat(local.trusts("127.0.0.2")).isFalse();
        assertThat(cluster.trusts("10.244.255.255")).isTrue();
        assertThat(cluster.trusts("10.245.0.0")).isFalse();
    }

    @Test
    void aCidrThatDoesNotParseStopsTheService() {
        assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TrustedProxies.of(List.of("gateway.local"))).isInstanceOf(IllegalArgumentException.class);
        assertThat(TrustedProxies.of(List.of(" ", "127.0.0.1")).trusts("127.0.0.1")).isTrue();
    }
}
