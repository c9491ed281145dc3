package io.pledge.kit.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.smallrye.config.SmallRyeConfigBuilder;
import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The outbound policy as pure logic (plain JUnit, IP literals only, so no DNS is involved): which targets get a Pledge
 * token, which addresses count as public, what lies under an export base. The services' tests (rights-request-service
 * ExportLocationTest) prove the same rules on the real calls.
 */
class OutboundPolicyTest {

    private static OutboundPolicy policy(String allowedHosts) {
        return new OutboundPolicy(new SmallRyeConfigBuilder().withDefaultValues(Map.of(
                "pledge.outbound.account-url", "http://127.0.0.1:8081",
                "pledge.outbound.consent-url", "http://consent-service:8082/",
                "pledge.outbound.allowed-hosts", allowedHosts)).build());
    }

    @Test
    void aPledgeTokenGoesToPledgesOwnServicesOnly() {
        OutboundPolicy p = policy("127.0.0.1");
        assertThat(p.bearer(URI.create("http://127.0.0.1:8081/internal/v1/identity-verifications"), "t")).isEqualTo("Bearer t");
        assertThat(p.bearer(URI.create("http://CONSENT-SERVICE:8082/v1/checks/batch"), "t")).isEqualTo("Bearer t");
        for (String elsewhere : List.of("http://127.0.0.1:8089/x", "https://127.0.0.1:8081/x", "http://localhost:8081/x",
                "http://127.0.0.1/x", "https://partner.example/export", "http://user@127.0.0.1:8081/x",
                "http://consent-service.evil.example:8082/x", "http://169.254.169.254/latest/meta-data")) {
            assertThatThrownBy(() -> p.bearer(URI.create(elsewhere), "t")).as(elsewhere)
                    .isInstanceOf(OutboundPolicy.Refused.class);
        }
    }

    @Test
    void onlyPublicUnicastAddressesArePublic() throws Exception {
        for (String a : List.of("127.0.0.1", "127.9.9.9", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.0.1",
                "169.254.169.254", "0.0.0.0", "224.0.0.1", "239.1.1.1", "100.64.0.1", "255.255.255.255", "::1", "::",
                "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1")) {
            assertThat(OutboundPolicy.isPublic(InetAddress.getByName(a))).as(a).isFalse();
        }
        for (String a : List.of("93.184.216.34", "8.8.8.8", "172.32.0.1", "2606:2800:220:1:248:1893:25c8:1946")) {
            assertThat(OutboundPolicy.isPublic(InetAddress.getByName(a))).as(a).isTrue();
        }
    }

    @Test
    void externalUrlsMustBeHttpsOnPublicAddressesUnlessAllowListed() {
        OutboundPolicy p = policy("127.0.0.1,localhost");
        assertThat(p.checkExternal("https://93.184.216.34/hook")).hasHost("93.184.216.34");
        assertThat(p.checkExternal("http://127.0.0.1:9999/hook")).hasPort(9999);
        for (String refused : List.of("http://93.184.216.34/hook", "https://10.0.0.1/hook", "https://127.0.0.2/hook",
                "https://[::1]/hook", "https://[fd00::1]/x", "https://user:pw@93.184.216.34/x", "https://93.184.216.34/a/../b",
                "https://93.184.216.34/a/%2e%2e/b", "https://93.184.216.34/a#frag", "ftp://93.184.216.34/x", "/relative",
                "https://93.184.216.34/a\\b")) {
            assertThatThrownBy(() -> p.checkExternal(refused)).as(refused).isInstanceOf(OutboundPolicy.Refused.class);
        }
        // the cluster's empty allow-list: loopback is refused too
        assertThatThrownBy(() -> policy("").checkExternal("http://127.0.0.1:9999/hook")).isInstanceOf(OutboundPolicy.Refused.class);
        assertThatThrownBy(() -> policy("").checkExternal("https://127.0.0.1:9999/hook")).isInstanceOf(OutboundPolicy.Refused.class);
    }

    @Test
    void aLocationIsUnderABaseOnlyAtTheSameOriginAndOnASegmentBoundary() {
        String base = "https://holder.example/exports/h1";
        assertThat(OutboundPolicy.isUnder("https://holder.example/exports/h1/abc?x=1", base)).isTrue();
        assertThat(OutboundPolicy.isUnder("https://HOLDER.example:443/exports/h1/abc", base)).isTrue();
        assertThat(OutboundPolicy.isUnder("https://holder.example/exports/h1", base + "/")).isTrue();
        for (String outside : List.of("https://holder.example/exports/h10/abc", "https://holder.example/exports/abc",
                "http://holder.example/exports/h1/abc", "https://holder.example:8443/exports/h1/abc",
                "https://evil.example/exports/h1/abc", "https://holder.example.evil.example/exports/h1/abc",
                "https://holder.example/exports/h1/../h2/abc", "https://holder.example/exports/h1/%2e%2e/h2",
                "https://holder.example/exports/h1%2f..%2fh2", "https://x@holder.example/exports/h1/abc",
                "https://holder.example/exports/h1//abc", "https://holder.example/exports/h1;x/abc")) {
            assertThat(OutboundPolicy.isUnder(outside, base)).as(outside).isFalse();
        }
    }
}
