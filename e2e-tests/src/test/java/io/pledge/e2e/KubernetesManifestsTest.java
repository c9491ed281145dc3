package io.pledge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import io.pledge.events.Topic;
import io.pledge.events.TopicCatalogue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests as an operator applies them: each overlay rendered by the real
 * {@code kubectl kustomize} (installed by deploy/local/test) and checked — every service has probes,
 * resources, a non-root read-only security context, a Service and a PodDisruptionBudget, with the
 * image, name and port of its module; the Ingress routes every /api prefix; network policies deny
 * by default; every catalogue topic has a Strimzi KafkaTopic.
 */
class KubernetesManifestsTest {

    private static final Map<String, String> ROUTES = Map.of("accounts", "account-service", "consents", "consent-service",
            "requests", "rights-request-service", "notifications", "notification-service", "audit", "audit-service");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceIsDeployableAndSafe(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            int port = modulePort(s.module());
            JsonNode d = find(docs, "Deployment", s.module());
            assertThat(d.at("/spec/selector/matchLabels/app").asText()).isEqualTo(s.module());
            JsonNode pod = d.at("/spec/template/spec");
            assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).as("%s runAsNonRoot", s.module()).isTrue();
            JsonNode c = pod.at("/containers/0");
            assertThat(c.at("/image").asText()).startsWith("pledge/" + s.module() + ":");
            assertThat(c.at("/ports/0/containerPort").asInt()).as("%s port", s.module()).isEqualTo(port);
            assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/q/health/ready");
            assertThat(c.at("/livenessProbe/httpGet/path").asText()).isEqualTo("/q/health/live");
            assertThat(c.at("/resources/requests/memory").asText()).isNotEmpty();
            assertThat(c.at("/resources/limits/memory").asText()).isNotEmpty();
            assertThat(c.at("/resources/limits/cpu").asText()).isNotEmpty();
            assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
            assertThat(find(docs, "Service", s.module()).at("/spec/ports/0/port").asInt()).isEqualTo(port);
            assertThat(find(docs, "PodDisruptionBudget", s.module())).isNotNull();
            assertThat(find(docs, "NetworkPolicy", s.module() + "-ingress")).isNotNull();
            if (overlay.equals("prod")) {
                assertThat(d.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
                assertThat(c.at("/env").toString()).contains("prod,vault");
            }
        }
        assertThat(find(docs, "NetworkPolicy", "default-deny").at("/spec/podSelector").isEmpty()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theIngressRoutesEveryApiPrefixToItsService(String overlay) throws Exception {
        JsonNode ingress = find(render(overlay), "Ingress", "pledge-gateway");
        List<String> routed = new ArrayList<>();
        for (JsonNode path : ingress.at("/spec/rules/0/http/paths")) {
            String prefix = path.at("/path").asText().replaceAll("^/api/([a-z]+).*", "$1");
            String service = path.at("/backend/service/name").asText();
            assertThat(service).as("route of /api/%s", prefix).isEqualTo(ROUTES.get(prefix));
            assertThat(path.at("/backend/service/port/number").asInt()).isEqualTo(modulePort(service));
            routed.add(prefix);
        }
        assertThat(routed).containsExactlyInAnyOrderElementsOf(ROUTES.keySet());
        assertThat(ingress.at("/metadata/annotations").toString()).contains("internal|q").contains("proxy-body-size");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyCatalogueTopicHasAKafkaTopic(String overlay) throws Exception {
        List<String> topics = render(overlay).stream().filter(d -> d.at("/kind").asText().equals("KafkaTopic"))
                .map(d -> d.at("/spec/topicName").asText()).toList();
        assertThat(topics).containsExactlyInAnyOrderElementsOf(TopicCatalogue.all().stream().map(Topic::name).toList());
    }

    private static int modulePort(String module) throws IOException {
        Properties p = new Properties();
        try (var in = Files.newInputStream(PledgeSystem.root().resolve(module).resolve("src/main/resources/application.properties"))) {
            p.load(in);
        }
        return Integer.parseInt(p.getProperty("quarkus.http.port"));
    }

    private static JsonNode find(List<JsonNode> docs, String kind, String name) {
        return docs.stream().filter(d -> d.at("/kind").asText().equals(kind) && d.at("/metadata/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in the rendered manifests"));
    }

    private static List<JsonNode> render(String overlay) throws IOException, InterruptedException {
        Path dir = PledgeSystem.root().resolve("deploy/k8s/overlays").resolve(overlay);
        Process p;
        try {
            p = new ProcessBuilder("kubectl", "kustomize", dir.toString()).redirectErrorStream(false).start();
        } catch (IOException e) {
            throw new AssertionError("kubectl is not installed; deploy/local/test installs it", e);
        }
        String yaml = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        assertThat(p.exitValue()).as("kubectl kustomize %s: %s", overlay, err).isZero();
        ObjectMapper mapper = new ObjectMapper(new YAMLFactory());
        try (YAMLParser parser = new YAMLFactory().createParser(yaml)) {
            List<JsonNode> docs = StreamSupport.stream(mapper.readValues(parser, JsonNode.class).readAll().spliterator(), false)
                    .filter(n -> n != null && !n.isEmpty()).toList();
            assertThat(docs).isNotEmpty();
            return docs;
        }
    }
}
