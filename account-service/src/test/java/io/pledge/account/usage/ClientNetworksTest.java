package io.pledge.account.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Pure logic: what is left of a client address in a usage record (no container). */
@Tag("clause-2.1.2")
class ClientNetworksTest {

    @Test
    void ipv4KeepsTheSlash24AndIpv6TheSlash48() {
        assertThat(ClientNetworks.truncate("203.0.113.77", 24, 48)).isEqualTo("203.0.113.0/24");
        assertThat(ClientNetworks.truncate("2001:db8:1234:5678:9abc:def0:1:2", 24, 48)).isEqualTo("2001:db8:1234::/48");
        assertThat(ClientNetworks.truncate("[2001:db8:ffff:1::1]", 24, 48)).isEqualTo("2001:db8:ffff::/48");
        assertThat(ClientNetworks.truncate("fe80::1%eth0", 24, 48)).isEqualTo("fe80::/48");
        assertThat(ClientNetworks.truncate("::ffff:198.51.100.9", 24, 48)).isEqualTo("198.51.100.0/24");
        assertThat(ClientNetworks.truncate("10.1.2.3", 16, 48)).isEqualTo("10.1.0.0/16");
    }

    @Test
    void anythingButALiteralAddressIsNotStored() {
        assertThat(ClientNetworks.truncate(null, 24, 48)).isNull();
        assertThat(ClientNetworks.truncate("example.com", 24, 48)).isNull();
        assertThat(ClientNetworks.truncate("999.1.1.1", 24, 48)).isNull();
        assertThat(ClientNetworks.truncate("unknown", 24, 48)).isNull();
    }
}
