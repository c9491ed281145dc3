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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The Kubernetes manifests as an operator applies them: each overlay rendered by the real
 * {@code kubectl kustomize} (installed by deploy/local/test) and checked — every service has probes,
 * resources, a non-root read-only security context, a Service and a PodDisruptionBudget, with the
 * image, name and port of its module; the Ingress routes every /api prefix; network policies deny
 * by default; every catalogue topic has a Strimzi KafkaTopic; in prod every signing key and service
 * secret is a mounted Secret and nothing is generated in a pod.
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
                assertThat(c.at("/env").toString()).contains("prod,vault,cluster");
            }
        }
        assertThat(find(docs, "NetworkPolicy", "default-deny").at("/spec/podSelector").isEmpty()).isTrue();
        // the egress policy opens exactly the Kafka port every service's bootstrap servers name
        String egress = find(docs, "NetworkPolicy", "allow-dns-kafka-vault-egress").at("/spec/egress").toString();
        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            String bootstrap = find(docs, "ConfigMap", s.module()).at("/data/KAFKA_BOOTSTRAP_SERVERS").asText();
            assertThat(bootstrap).as("%s bootstrap", s.module()).matches("[a-z0-9.-]+:\\d+");
            String kafkaPort = bootstrap.substring(bootstrap.lastIndexOf(':') + 1);
            assertThat(egress).as("egress to Kafka for %s", s.module()).contains("{\"port\":" + kafkaPort + ",");
        }
    }

    /** Each service's signing keys and service secrets in prod: Secret name, where it is mounted, the variable naming that folder. */
    private record KeySecret(String service, String secret, String mountPath, String pathVariable) {
    }

    private static final List<KeySecret> KEY_SECRETS = List.of(
            // account-service's key folder is its default, ${PLEDGE_DATA_DIR}/account-service/jwt
            new KeySecret("account-service", "account-service-jwt", "/var/lib/pledge/account-service/jwt", null),
            new KeySecret("account-service", "account-service-secrets", "/var/run/secrets/pledge/account-service",
                    "PLEDGE_ACCOUNT_SECRET_DIR"),
            new KeySecret("consent-service", "consent-service-receipt-keys", "/var/run/secrets/pledge/receipt-keys",
                    "PLEDGE_CONSENT_KEY_DIR"),
            new KeySecret("rights-request-service", "rights-request-service-certificate-keys",
                    "/var/run/secrets/pledge/certificate-keys", "PLEDGE_RIGHTS_KEY_DIR"),
            new KeySecret("audit-service", "audit-service-checkpoint-keys", "/var/run/secrets/pledge/checkpoint-keys",
                    "PLEDGE_AUDIT_KEY_DIR"),
            // every service signs its holder replies with a key of its own (service-kit HolderSigner)
            new KeySecret("account-service", "account-service-holder-key", "/var/run/secrets/pledge/holder-key",
                    "PLEDGE_HOLDER_KEY_DIR"),
            new KeySecret("consent-service", "consent-service-holder-key", "/var/run/secrets/pledge/holder-key",
                    "PLEDGE_HOLDER_KEY_DIR"),
            new KeySecret("rights-request-service", "rights-request-service-holder-key",
                    "/var/run/secrets/pledge/holder-key", "PLEDGE_HOLDER_KEY_DIR"),
            new KeySecret("notification-service", "notification-service-holder-key", "/var/run/secrets/pledge/holder-key",
                    "PLEDGE_HOLDER_KEY_DIR"),
            new KeySecret("audit-service", "audit-service-holder-key", "/var/run/secrets/pledge/holder-key",
                    "PLEDGE_HOLDER_KEY_DIR"));

    /**
     * Two replicas must sign, hash and verify alike: in prod every signing key and service secret is a Secret mounted
     * read-only where the service reads it (not the pod's own emptyDir), every client secret is required, key
     * generation is off (profile cluster and the explicit switch), the KEK is Vault's, and mail goes to a real relay
     * instead of the embedded SMTP server.
     */
    @org.junit.jupiter.api.Test
    void theProdOverlayMountsEveryKeyAndSecretAndGeneratesNothing() throws Exception {
        List<JsonNode> docs = render("prod");
        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            JsonNode pod = find(docs, "Deployment", s.module()).at("/spec/template/spec");
            JsonNode c = pod.at("/containers/0");
            Map<String, String> env = env(c);
            assertThat(env.get("QUARKUS_PROFILE")).as("%s profile", s.module()).isEqualTo("prod,vault,cluster");
            assertThat(env.get("PLEDGE_KEYS_GENERATE_IF_MISSING")).as("%s key generation", s.module()).isEqualTo("false");
            env.forEach((name, value) -> assertThat(name.contains("GENERATE") && !"false".equals(value))
                    .as("%s %s=%s", s.module(), name, value).isFalse());
            assertThat(env).doesNotContainKey("PLEDGE_CRYPTO_KEK");
            for (KeySecret k : KEY_SECRETS.stream().filter(k -> k.service().equals(s.module())).toList()) {
                JsonNode volume = secretVolume(pod, k.secret());
                assertThat(volume.at("/secret/optional").asBoolean(false)).as("%s optional", k.secret()).isFalse();
                JsonNode mount = mountOf(c, volume.at("/name").asText());
                assertThat(mount.at("/mountPath").asText()).as("%s mount of %s", s.module(), k.secret()).isEqualTo(k.mountPath());
                assertThat(mount.at("/readOnly").asBoolean()).as("%s mounts %s read-only", s.module(), k.secret()).isTrue();
                if (k.pathVariable() != null) {
                    assertThat(env.get(k.pathVariable())).as("%s %s", s.module(), k.pathVariable()).isEqualTo(k.mountPath());
                }
            }
            if (!s.module().equals("account-service")) {
                JsonNode ref = envEntry(c, "PLEDGE_CLIENT_SECRET").at("/valueFrom/secretKeyRef");
                assertThat(ref.at("/name").asText()).isEqualTo("pledge-client-" + s.module());
                assertThat(ref.at("/optional").asBoolean(true)).as("%s client secret optional", s.module()).isFalse();
            }
        }
        // account-service checks every service's client secret: all of them required, mounted read-only
        JsonNode account = find(docs, "Deployment", "account-service").at("/spec/template/spec");
        JsonNode projected = StreamSupport.stream(account.at("/volumes").spliterator(), false)
                .filter(v -> v.at("/name").asText().equals("client-secrets")).findFirst().orElseThrow().at("/projected/sources");
        List<String> clients = new ArrayList<>();
        for (JsonNode source : projected) {
            assertThat(source.at("/secret/optional").asBoolean(true)).as("%s", source).isFalse();
            clients.add(source.at("/secret/name").asText());
        }
        assertThat(clients).containsExactlyInAnyOrder("pledge-client-consent-service", "pledge-client-rights-request-service",
                "pledge-client-notification-service", "pledge-client-audit-service");
        assertThat(mountOf(account.at("/containers/0"), "client-secrets").at("/readOnly").asBoolean()).isTrue();
        // the first administrator comes from the Secret pledge-first-admin, optional (deleted once they have enrolled)
        for (String[] key : new String[][] {{"LOGIN", "login"}, {"DISPLAY_NAME", "display-name"},
                {"ENROLMENT_TOKEN", "enrolment-token"}}) {
            JsonNode ref = envEntry(account.at("/containers/0"), "PLEDGE_ACCOUNT_STAFF_FIRST_ADMIN_" + key[0])
                    .at("/valueFrom/secretKeyRef");
            assertThat(ref.at("/name").asText()).isEqualTo("pledge-first-admin");
            assertThat(ref.at("/key").asText()).isEqualTo(key[1]);
            assertThat(ref.at("/optional").asBoolean()).isTrue();
        }

        // no embedded SMTP server in prod: the real relay from a ConfigMap, its login from a Secret
        JsonNode n = find(docs, "Deployment", "notification-service").at("/spec/template/spec/containers/0");
        assertThat(env(n).get("PLEDGE_NOTIFICATION_EMBEDDED_SMTP_ENABLED")).isEqualTo("false");
        assertThat(n.at("/envFrom").toString()).contains("\"name\":\"notification-service-mailer\"");
        JsonNode mailer = find(docs, "ConfigMap", "notification-service-mailer").at("/data");
        assertThat(mailer.at("/QUARKUS_MAILER_HOST").asText()).isNotBlank().isNotIn("127.0.0.1", "localhost");
        assertThat(mailer.at("/QUARKUS_MAILER_START_TLS").asText()).isEqualTo("REQUIRED");
        assertThat(envEntry(n, "QUARKUS_MAILER_PASSWORD").at("/valueFrom/secretKeyRef/name").asText())
                .isEqualTo("notification-service-mailer");
    }

    private static Map<String, String> env(JsonNode container) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (JsonNode e : container.at("/env")) {
            out.put(e.at("/name").asText(), e.has("value") ? e.at("/value").asText() : null);
        }
        return out;
    }

    private static JsonNode envEntry(JsonNode container, String name) {
        return StreamSupport.stream(container.at("/env").spliterator(), false).filter(e -> e.at("/name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no env " + name));
    }

    private static JsonNode secretVolume(JsonNode pod, String secret) {
        return StreamSupport.stream(pod.at("/volumes").spliterator(), false)
                .filter(v -> v.at("/secret/secretName").asText().equals(secret)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume of the Secret " + secret));
    }

    private static JsonNode mountOf(JsonNode container, String volume) {
        return StreamSupport.stream(container.at("/volumeMounts").spliterator(), false)
                .filter(m -> m.at("/name").asText().equals(volume)).findFirst()
                .orElseThrow(() -> new AssertionError("volume " + volume + " is not mounted"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theWebAppsAreServedOnTheGatewayHostBesideTheApiAndNothingElseReachesThem(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        JsonNode d = find(docs, "Deployment", "web");
        JsonNode pod = d.at("/spec/template/spec");
        assertThat(pod.at("/securityContext/runAsNonRoot").asBoolean()).isTrue();
        assertThat(pod.at("/automountServiceAccountToken").asBoolean(true)).isFalse();
        JsonNode c = pod.at("/containers/0");
        assertThat(c.at("/image").asText()).startsWith("pledge/web:").doesNotEndWith(":latest");
        assertThat(c.at("/ports/0/containerPort").asInt()).isEqualTo(8080);
        assertThat(c.at("/readinessProbe/httpGet/path").asText()).isEqualTo("/privacy/");
        assertThat(c.at("/livenessProbe/httpGet/path").asText()).isNotEmpty();
        assertThat(c.at("/resources/limits/memory").asText()).isNotEmpty();
        assertThat(c.at("/resources/limits/cpu").asText()).isNotEmpty();
        assertThat(c.at("/securityContext/readOnlyRootFilesystem").asBoolean()).isTrue();
        assertThat(c.at("/securityContext/allowPrivilegeEscalation").asBoolean()).isFalse();
        assertThat(find(docs, "Service", "web").at("/spec/ports/0/port").asInt()).isEqualTo(8080);
        assertThat(find(docs, "PodDisruptionBudget", "web")).isNotNull();
        assertThat(find(docs, "NetworkPolicy", "web-ingress").at("/spec/ingress/0/ports/0/port").asInt()).isEqualTo(8080);
        String conf = find(docs, "ConfigMap", "web").at("/data/default.conf").asText();
        assertThat(conf).contains("location /privacy/ { alias /usr/share/nginx/html/privacy-center/;")
                .contains("location /console/ { alias /usr/share/nginx/html/operator-console/;")
                .contains("frame-ancestors 'none'").contains("X-Content-Type-Options nosniff").contains("location / { return 404; }");
        if (overlay.equals("prod")) {
            assertThat(d.at("/spec/replicas").asInt()).isGreaterThanOrEqualTo(2);
        }
        // the apps' Ingress: the gateway's host and TLS, exactly the two app prefixes, both to the web Service
        JsonNode web = find(docs, "Ingress", "pledge-web");
        JsonNode api = find(docs, "Ingress", "pledge-gateway");
        assertThat(web.at("/spec/rules/0/host").asText()).isEqualTo(api.at("/spec/rules/0/host").asText());
        assertThat(web.at("/spec/tls").toString()).isEqualTo(api.at("/spec/tls").toString());
        List<String> paths = new ArrayList<>();
        for (JsonNode path : web.at("/spec/rules/0/http/paths")) {
            paths.add(path.at("/path").asText());
            assertThat(path.at("/backend/service/name").asText()).isEqualTo("web");
            assertThat(path.at("/backend/service/port/number").asInt()).isEqualTo(8080);
        }
        assertThat(paths).containsExactlyInAnyOrder("/privacy", "/console");
        assertThat(web.at("/metadata/annotations").has("nginx.ingress.kubernetes.io/rewrite-target")).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theIngressRoutesEveryApiPrefixToItsService(String overlay) throws Exception {
        JsonNode ingress = find(render(overlay), "Ingress", "pledge-gateway");
        List<String> routed = new ArrayList<>();
        for (JsonNode path : ingress.at("/spec/rules/0/http/paths")) {
            if (path.at("/path").asText().equals(CATCH_ALL)) {
                continue;
            }
            String prefix = path.at("/path").asText().replaceAll("^/api/([a-z]+).*", "$1");
            String service = path.at("/backend/service/name").asText();
            assertThat(service).as("route of /api/%s", prefix).isEqualTo(ROUTES.get(prefix));
            assertThat(path.at("/backend/service/port/number").asInt()).isEqualTo(modulePort(service));
            routed.add(prefix);
        }
        assertThat(routed).containsExactlyInAnyOrderElementsOf(ROUTES.keySet());
        assertThat(ingress.at("/metadata/annotations/nginx.ingress.kubernetes.io~1proxy-body-size").asText()).isEqualTo("256k");
    }

    /** The Ingress's path that only gives unmatched paths the no-route problem (never proxied). */
    private static final String CATCH_ALL = "/()";

    /**
     * The Ingress carries the same protection as deploy/gateway's nginx (which e2e GatewayIT attacks for real):
     * its routes expose only /api/<alias>/v1/ (and account-service's JWKS); its configuration snippet refuses,
     * before any proxying, every path that the gateway template's allow-list refuses — the same expression, checked
     * here against GatewayIT's whole bypass corpus and against the public routes it must let through; refused
     * paths are rewritten to the gateway's own no-route problem defined in the server snippet; security headers
     * are set on what is proxied and on that problem.
     */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void theIngressExposesOnlyThePublicApi(String overlay) throws Exception {
        JsonNode ingress = find(render(overlay), "Ingress", "pledge-gateway");
        JsonNode annotations = ingress.at("/metadata/annotations");
        for (JsonNode path : ingress.at("/spec/rules/0/http/paths")) {
            String p = path.at("/path").asText();
            if (p.equals(CATCH_ALL)) {
                continue;
            }
            assertThat(p).as("route %s exposes only the public API", p)
                    .matches("/api/[a-z]+/\\(v1/\\.\\*(\\|\\\\\\.well-known/jwks\\\\\\.json)?\\)");
        }
        assertThat(annotations.at("/nginx.ingress.kubernetes.io~1rewrite-target").asText()).isEqualTo("/$1");

        String snippet = annotations.at("/nginx.ingress.kubernetes.io~1configuration-snippet").asText();
        Matcher guard = Pattern.compile("if \\(\\$request_uri !~ \"([^\"]+)\"\\) \\{\\s*rewrite \\^ (/\\S+) last;\\s*\\}")
                .matcher(snippet);
        assertThat(guard.find()).as("the configuration snippet refuses paths off the allow-list: %s", snippet).isTrue();
        String allow = guard.group(1);
        assertThat(allow).as("the Ingress's allow-list is the gateway template's").isEqualTo(templateAllowList());
        Pattern allowed = Pattern.compile(allow);
        for (String attack : GatewayIT.BYPASS_CORPUS) {
            assertThat(allowed.matcher(attack).find()).as("%s is refused by the Ingress", attack).isFalse();
        }
        for (String ok : List.of("/api/accounts/.well-known/jwks.json", "/api/accounts/v1/accounts", "/api/accounts/v1/sessions/current",
                "/api/consents/v1/consents/3f0c1c4e-8a6e-4f5e-9a51-1f2b3c4d5e6f/records?limit=10",
                "/api/requests/v1/requests/abc/certificate", "/api/notifications/v1/tracking/x/open",
                "/api/audit/v1/audit/subjects/s/entries", "/api/accounts/v1/a%20b%40c")) {
            assertThat(allowed.matcher(ok).find()).as("%s is routed by the Ingress", ok).isTrue();
        }
        String server = annotations.at("/nginx.ingress.kubernetes.io~1server-snippet").asText();
        assertThat(server).contains("location = " + guard.group(2) + " {").contains("internal;")
                .contains("default_type application/problem+json;").contains("\"Pledge-Gateway: no-route\"")
                .contains("return 404 '{\"type\":\"urn:pledge:problem:no-route\"");
        for (String header : List.of("Strict-Transport-Security: max-age=31536000; includeSubDomains", "X-Content-Type-Options: nosniff",
                "Referrer-Policy: no-referrer", "X-Frame-Options: DENY", "Content-Security-Policy: frame-ancestors 'none'")) {
            assertThat(snippet).as("proxied responses carry %s", header).contains("\"" + header + "\"");
            assertThat(server).as("the no-route problem carries %s", header).contains("\"" + header + "\"");
        }
        // the services' own Deployments listen on the pod address (the embedded default binds 127.0.0.1 only)
        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            assertThat(find(render(overlay), "ConfigMap", s.module()).at("/data/QUARKUS_HTTP_HOST").asText())
                    .as("%s listens on its pod address", s.module()).isEqualTo("0.0.0.0");
        }
    }

    /** deploy/gateway/nginx.conf.template's two route expressions as one, with its capture group made non-capturing. */
    private static String templateAllowList() throws IOException {
        String template = Files.readString(PledgeSystem.root().resolve("deploy/gateway/nginx.conf.template"));
        Matcher m = Pattern.compile("map \\$request_uri \\$pledge_svc \\{\\s*default \"\";\\s*\"~([^\"]+)\" \\$1;\\s*\"~([^\"]+)\" \\$1;")
                .matcher(template);
        assertThat(m.find()).as("the gateway template's route map").isTrue();
        return m.group(1).replace("^/api/(accounts|", "^/api/(?:accounts|") + "|" + m.group(2).replace("(accounts)", "accounts");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyCatalogueTopicHasAKafkaTopic(String overlay) throws Exception {
        List<String> topics = render(overlay).stream().filter(d -> d.at("/kind").asText().equals("KafkaTopic"))
                .map(d -> d.at("/spec/topicName").asText()).toList();
        assertThat(topics).containsExactlyInAnyOrderElementsOf(TopicCatalogue.all().stream().map(Topic::name).toList());
    }

    /** Every service logs in as its own KafkaUser (SCRAM, ACLs of KafkaAccess) over SASL_SSL; nothing else has a user. */
    @ParameterizedTest
    @ValueSource(strings = {"dev", "prod"})
    void everyServiceLogsInToKafkaAsItsOwnKafkaUser(String overlay) throws Exception {
        List<JsonNode> docs = render(overlay);
        List<String> users = docs.stream().filter(d -> d.at("/kind").asText().equals("KafkaUser"))
                .map(d -> d.at("/metadata/name").asText()).toList();
        assertThat(users).containsExactlyInAnyOrderElementsOf(io.pledge.events.KafkaAccess.principals());
        for (JsonNode u : docs.stream().filter(d -> d.at("/kind").asText().equals("KafkaUser")).toList()) {
            assertThat(u.at("/spec/authentication/type").asText()).isEqualTo("scram-sha-512");
            assertThat(u.at("/spec/authorization/type").asText()).isEqualTo("simple");
            long expected = io.pledge.events.KafkaAccess.deployment().stream()
                    .filter(a -> a.principal().equals(u.at("/metadata/name").asText())).count();
            assertThat(u.at("/spec/authorization/acls").size()).as("ACLs of %s", u.at("/metadata/name").asText())
                    .isEqualTo((int) expected);
        }
        for (PledgeSystem.Service s : PledgeSystem.ALL) {
            JsonNode c = find(docs, "Deployment", s.module()).at("/spec/template/spec/containers/0");
            JsonNode ref = envEntry(c, "KAFKA_SASL_JAAS_CONFIG").at("/valueFrom/secretKeyRef");
            assertThat(ref.at("/name").asText()).as("%s Kafka login", s.module()).isEqualTo(s.module());
            assertThat(ref.at("/key").asText()).isEqualTo("sasl.jaas.config");
            assertThat(find(docs, "ConfigMap", s.module()).at("/data/KAFKA_SECURITY_PROTOCOL").asText()).isEqualTo("SASL_SSL");
        }
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
