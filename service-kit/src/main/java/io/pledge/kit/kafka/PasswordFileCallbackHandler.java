package io.pledge.kit.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.scram.ScramExtensionsCallback;

/**
 * Gives a Kafka client's SCRAM login its password when it logs in, never earlier: from the JAAS option
 * {@code password} when the login names one (a KafkaUser's {@code sasl.jaas.config} in Kubernetes), else from the
 * environment variable {@code PLEDGE_KAFKA_PASSWORD}, else from the file named by the JAAS option
 * {@code passwordFile} (deploy/local/kafka-broker writes one per principal, 0600). So no password is ever a
 * configuration value: Quarkus records configuration found at build time into the application, and a password file
 * present on the build machine would otherwise end up inside the jar.
 */
public class PasswordFileCallbackHandler implements AuthenticateCallbackHandler {

    static final String ENV = "PLEDGE_KAFKA_PASSWORD";

    private String username;
    private String password;
    private String passwordFile;

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        if (jaasConfigEntries.size() != 1) {
            throw new IllegalArgumentException("one JAAS login module expected, found " + jaasConfigEntries.size());
        }
        Map<String, ?> options = jaasConfigEntries.get(0).getOptions();
        username = (String) options.get("username");
        password = (String) options.get("password");
        passwordFile = (String) options.get("passwordFile");
        if (username == null || username.isBlank()) {
            throw new IllegalArgumentException("the Kafka login names no username (pledge.kafka.principal)");
        }
    }

    @Override
    public void handle(Callback[] callbacks) throws IOException, UnsupportedCallbackException {
        for (Callback c : callbacks) {
            if (c instanceof NameCallback n) {
                n.setName(username);
            } else if (c instanceof PasswordCallback p) {
                p.setPassword(password().toCharArray());
            } else if (c instanceof ScramExtensionsCallback) {
                // no SCRAM extensions: the callback's default (none) stands
            } else {
                throw new UnsupportedCallbackException(c);
            }
        }
    }

    private String password() throws IOException {
        if (password != null && !password.isBlank()) {
            return password;
        }
        String env = System.getenv(ENV);
        if (env != null && !env.isBlank()) {
            return env.trim();
        }
        if (passwordFile == null) {
            throw new IOException("no Kafka password for " + username + ": set " + ENV + " or pledge.kafka.credentials-dir");
        }
        Path file = Path.of(passwordFile);
        if (!Files.isReadable(file)) {
            throw new IOException("no Kafka password for " + username + ": " + file
                    + " is missing (deploy/local/kafka-broker up writes it; see deploy/README.md, Kafka security)");
        }
        String p = Files.readString(file).trim();
        if (p.isEmpty()) {
            throw new IOException("the Kafka password file " + file + " is empty");
        }
        return p;
    }

    @Override
    public void close() {
        // nothing held
    }
}
