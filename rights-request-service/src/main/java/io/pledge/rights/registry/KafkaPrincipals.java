package io.pledge.rights.registry;

import io.pledge.events.KafkaAccess;
import io.pledge.kit.kafka.KafkaClients;
import io.pledge.kit.kafka.KafkaLogin;
import io.pledge.kit.problem.ProblemException;
import io.pledge.kit.problem.ProblemType;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialDeletion;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AccessControlEntryFilter;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclBindingFilter;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.ResourceNotFoundException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourcePatternFilter;
import org.apache.kafka.common.resource.ResourceType;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * A Kafka holder's own principal on the brokers ({@link KafkaAccess#holderPrincipal}): its SCRAM-SHA-512 credential
 * (a random password, shown once) and its ACLs ({@link KafkaAccess#holder}), created, rotated and deleted through the
 * Kafka Admin API as {@link KafkaAccess#HOLDER_REGISTRAR}, a login of this service that can manage credentials and
 * ACLs and nothing else (deploy/README.md, Kafka security).
 */
@ApplicationScoped
public class KafkaPrincipals {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int ITERATIONS = 8192;

    private final KafkaClients kafka;
    private final Optional<String> password;
    private final String credentialsDir;

    public KafkaPrincipals(KafkaClients kafka,
                           @ConfigProperty(name = "pledge.rights.holder-registrar.password") Optional<String> password,
                           @ConfigProperty(name = "pledge.kafka.credentials-dir") String credentialsDir) {
        this.kafka = kafka;
        this.password = password;
        this.credentialsDir = credentialsDir;
    }

    /** What a holder is given once: its principal, password, mechanism and the prefix of its consumer groups. */
    public record Credential(String principal, String password, String mechanism, String groupPrefix) {
    }

    /** Creates (or replaces) the holder's credential and its ACLs; the password is in the answer only. */
    public Credential grant(String holderId) {
        String principal = KafkaAccess.holderPrincipal(holderId);
        String secret = newPassword();
        try (Admin admin = admin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(principal,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, ITERATIONS), secret))).all().get(30, TimeUnit.SECONDS);
            admin.createAcls(bindings(principal)).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw unavailable("granting", holderId, e);
        }
        Log.infof("holder %s: Kafka principal %s granted", holderId, principal);
        return new Credential(principal, secret, KafkaLogin.MECHANISM, KafkaAccess.holderGroupPrefix(principal));
    }

    /** A new password for the holder's principal; the old one stops working at once. */
    public Credential rotate(String holderId) {
        return grant(holderId);
    }

    /** Deletes the holder's credential and every ACL of its principal: the brokers refuse it from now on. */
    public void revoke(String holderId) {
        String principal = KafkaAccess.holderPrincipal(holderId);
        try (Admin admin = admin()) {
            try {
                admin.alterUserScramCredentials(List.of(new UserScramCredentialDeletion(principal,
                        ScramMechanism.SCRAM_SHA_512))).all().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof ResourceNotFoundException)) {
                    throw e;
                }
            }
            admin.deleteAcls(List.of(new AclBindingFilter(ResourcePatternFilter.ANY, new AccessControlEntryFilter(
                    "User:" + principal, null, AclOperation.ANY, AclPermissionType.ANY)))).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw unavailable("revoking", holderId, e);
        }
        Log.infof("holder %s: Kafka principal %s revoked", holderId, principal);
    }

    private static List<AclBinding> bindings(String principal) {
        return KafkaAccess.holder(principal, List.of()).stream().map(a -> new AclBinding(
                new ResourcePattern(ResourceType.fromString(a.resourceType()), a.resource(), PatternType.fromString(a.patternType())),
                new AccessControlEntry("User:" + principal, "*", AclOperation.fromString(a.operation()), AclPermissionType.ALLOW)))
                .toList();
    }

    private Admin admin() {
        String p = password.filter(s -> !s.isBlank())
                .orElseGet(() -> KafkaLogin.readPassword(Path.of(credentialsDir), KafkaAccess.HOLDER_REGISTRAR));
        if (p == null) {
            throw new ProblemException(ProblemType.UNAVAILABLE,
                    "The Kafka holder registrar has no credential; see deploy/README.md, Kafka security.", "channel");
        }
        return kafka.admin(KafkaAccess.HOLDER_REGISTRAR, p);
    }

    private static ProblemException unavailable(String what, String holderId, Exception e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
        Log.warnf("holder %s: %s its Kafka principal failed (%s)", holderId, what, e.getClass().getSimpleName());
        return new ProblemException(ProblemType.UNAVAILABLE,
                "The Kafka brokers did not confirm the holder's credential; nothing was changed, try again.", "channel");
    }

    private static String newPassword() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
