package io.pledge.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The root README's journey through the gateway works as written: the bash blocks of its "Through the API gateway"
 * section, then rights-request-service README's certificate check, are taken from the files as text and run with
 * {@code bash -euo pipefail} from the checkout's root against the e2e system ({@link PledgeSystem}), as a reader
 * pastes them. Only the variables the blocks define at their top get other values, through the environment: the
 * gateway ({@code G}, {@code R}), the IMAP port of the embedded mail server and the user's number {@code N}, unique
 * per run. Everything is real; the one difference from the embedded default is that the e2e system sends SMS to its
 * SMS gateway ({@link SmsInbox}), which for this user's mobile also delivers them to
 * {@code <digits>@sms.pledge.local} on the embedded mail server, where the embedded default puts them.
 */
@ExtendWith(PledgeSystem.class)
class ReadmeJourneyIT {

    @Test
    @Tag("clause-6.3")
    @Tag("rights-request-service")
    void theReadmeJourneyRegistersConfirmsBothCodesDeletesAndVerifiesTheCertificate() throws Exception {
        Path root = PledgeSystem.root();
        List<String> blocks = new ArrayList<>(bashBlocks(section(Files.readString(root.resolve("README.md")),
                "## Through the API gateway")));
        assertThat(blocks).as("bash blocks of the README's gateway section").hasSizeGreaterThanOrEqualTo(2);
        List<String> check = bashBlocks(section(Files.readString(root.resolve("rights-request-service/README.md")),
                "## Certificates and how to verify one"));
        assertThat(check).as("the certificate check of rights-request-service's README").hasSize(1);
        blocks.addAll(check);
        Path script = Path.of("target/readme-journey.sh").toAbsolutePath();
        Path log = Path.of("target/readme-journey.log").toAbsolutePath();
        Files.createDirectories(script.getParent());
        Files.writeString(script, String.join("\n", blocks));

        String n = Long.toString(ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L));
        SmsInbox.forwardToMailbox(n);
        ProcessBuilder bash = new ProcessBuilder("bash", "-euo", "pipefail", script.toString()).directory(root.toFile());
        bash.environment().put("G", PledgeSystem.GATEWAY);
        bash.environment().put("R", PledgeSystem.GATEWAY + "/api/requests");
        bash.environment().put("N", n);
        bash.environment().put("PLEDGE_MAIL_IMAP_PORT", Integer.toString(PledgeSystem.IMAP_PORT));
        bash.redirectErrorStream(true).redirectOutput(log.toFile());
        Process p = bash.start();
        boolean ended = p.waitFor(10, TimeUnit.MINUTES);
        if (!ended) {
            p.destroyForcibly();
        }
        String out = Files.readString(log);
        assertThat(ended).as("the journey ended within 10 minutes; output:\n" + out).isTrue();
        assertThat(p.exitValue()).as("exit status of the journey; output:\n" + out).isZero();
        assertThat(out).containsPattern("request [0-9a-f-]{36}: COMPLETED");
        assertThat(out).contains("keyId matches");
        assertThat(Pattern.compile("(?m)^Verified OK$").matcher(out).results().count())
                .as("certificates verified by openssl (the journey's check and the service README's)").isEqualTo(2);
    }

    /** From a {@code ## } heading to the next one. */
    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("heading " + heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + heading.length() + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }

    private static List<String> bashBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        Matcher m = Pattern.compile("(?ms)^```bash\\n(.*?)^```$").matcher(markdown);
        while (m.find()) {
            blocks.add(m.group(1));
        }
        return blocks;
    }
}
