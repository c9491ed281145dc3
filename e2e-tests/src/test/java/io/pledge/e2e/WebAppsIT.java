package io.pledge.e2e;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The two web apps (web/: the privacy center and the operator console) in a real browser, Debian's chromium headless
 * ({@link Browser}), served by the e2e gateway and talking to the packaged services only through it: a subject's
 * whole journey (register, both codes, log in, consent with its receipt, deletion verified with its code, progress
 * holder by holder, the certificate verified in the browser) and an officer's (password and TOTP code, a silent
 * holder's escalation, retry, the request completes). Every action is taken from the keyboard on controls found by
 * their labels and names; every main screen passes an axe-core scan and has every control reachable with Tab.
 * Screenshots go to {@code e2e-tests/target/screenshots/}; the time to first render and the bundle sizes to
 * {@code e2e-tests/target/web-apps/metrics.json}.
 */
@ExtendWith(PledgeSystem.class)
class WebAppsIT {

    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Path SHOTS = PledgeSystem.root().resolve("e2e-tests/target/screenshots");
    private static final Path METRICS = PledgeSystem.root().resolve("e2e-tests/target/web-apps/metrics.json");
    private static final ObjectNode MEASURED = new ObjectMapper().createObjectNode();
    private static final List<String> INTERNAL = List.of("account-service", "consent-service", "notification-service",
            "audit-service");
    private static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        browser = Browser.launch();
    }

    @AfterAll
    static void stop() throws Exception {
        if (browser != null) {
            browser.close();
        }
        Path sizes = PledgeSystem.root().resolve("web/dist/sizes.json");
        if (Files.exists(sizes)) {
            MEASURED.set("bundleBytes", new ObjectMapper().readTree(sizes.toFile()));
        }
        Files.createDirectories(METRICS.getParent());
        Files.writeString(METRICS, MEASURED.toPrettyString());
    }

    @Test
    @Tag("clause-6.3")
    @Tag("rights-request-service")
    void aSubjectRegistersConsentsAsksForDeletionAndVerifiesTheCertificateInTheBrowser() throws Exception {
        long n = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        String email = "web" + n + "@example.com";
        String mobile = "+861" + n;
        String password = "Pw-web-" + UUID.randomUUID().toString().substring(0, 12);

        // the login screen, first in Chinese
        open("/privacy/", "privacy-center");
        browser.fill("Language", "zh-CN");
        browser.awaitTrue("document.querySelector('h2').textContent === '登录' && document.documentElement.lang === 'zh-CN'", PATIENCE);
        screen("privacy-login-zh");
        browser.press("注册账号");

        // registration, in Chinese, choosing English as the preferred language
        browser.awaitTrue("document.querySelector('h2').textContent === '注册账号'", PATIENCE);
        browser.fill("用户名", "web-" + n);
        browser.fill("邮箱", email);
        browser.fill("手机号（+86…）", mobile);
        browser.fill("密码（至少 12 个字符）", password);
        browser.fill("出生日期", "1990-05-17");
        browser.fill("偏好语言", "en");
        screen("privacy-register-zh");
        browser.press("注册");

        // both codes, read where a user reads them: the mailbox and the SMS
        browser.awaitTrue("document.querySelector('h2').textContent === 'Verify your contacts'", PATIENCE);
        screen("privacy-verify");
        Set<String> seenSms = new HashSet<>();
        SmsInbox.Message sms = SmsInbox.await(mobile, m -> true, PATIENCE);
        seenSms.add(sms.noticeId());
        Mailboxes.Mail mail = Mailboxes.await(email, m -> m.text().matches("(?s).*\\b\\d{6}\\b.*"), PATIENCE);
        browser.fill("Code sent by email", sixDigits(mail.text()));
        browser.press("Confirm: Code sent by email");
        browser.awaitTrue("document.body.innerText.includes('Code sent by email: Confirmed')", PATIENCE);
        browser.fill("Code sent by SMS", SmsInbox.code(sms));
        browser.press("Confirm: Code sent by SMS");
        browser.awaitTrue("document.body.innerText.includes('Both contacts are verified')", PATIENCE);

        // log in from the Chinese screen: the app follows the subject's preferred language, English
        browser.fill("Language", "zh-CN");
        browser.awaitTrue("document.querySelector('h2').textContent === '登录'", PATIENCE);
        browser.fill("邮箱或手机号", email);
        browser.fill("密码", password);
        browser.press("登录");
        browser.awaitTrue("document.querySelector('#purposes') && document.documentElement.lang === 'en'", PATIENCE);
        String token = browser.eval("sessionStorage.getItem('pledge.subject.token')").asText();
        UUID subject = UUID.fromString(given().baseUri(PledgeSystem.GATEWAY).relaxedHTTPSValidation().auth().oauth2(token)
                .when().get("/api/accounts/v1/session").then().statusCode(200).extract().path("subject"));

        // every purpose with its legal basis; marketing-email given, with the receipt shown, then withdrawn
        assertThat(browser.text()).contains("Legal basis").contains("marketing-email");
        screen("privacy-consents");
        browser.press("Give consent: marketing-email");
        browser.awaitTrue("document.querySelector('[data-receipt]') && document.querySelector('[data-purpose=\"marketing-email\"]')"
                + ".dataset.decision === 'GIVEN'", PATIENCE);
        String receipt = browser.eval("document.querySelector('[data-receipt]').dataset.receipt").asText();
        JsonPath state = consents(token).when().get("/v1/consents/{s}/records", subject).then().statusCode(200)
                .extract().jsonPath();
        List<Map<String, Object>> marketing = state.getList("items.findAll { it.purposeId == 'marketing-email' }");
        assertThat(marketing).isNotEmpty();
        assertThat(marketing.get(marketing.size() - 1)).containsEntry("status", "GIVEN").containsEntry("receiptId", receipt);
        screen("privacy-consent-receipt");
        browser.press("Withdraw: marketing-email");
        browser.awaitTrue("document.querySelector('[data-purpose=\"marketing-email\"]').dataset.decision === 'WITHDRAWN'"
                + " && document.querySelector('[data-receipt]').dataset.receipt !== " + Browser.js(receipt), PATIENCE);
        assertThat(consents(token).when().get("/v1/consents/{s}", subject).then().statusCode(200).extract().jsonPath()
                .getString("consents.find { it.purposeId == 'marketing-email' }.status")).isEqualTo("WITHDRAWN");

        // the policy in force and its versions; the subject's own history
        browser.press("Privacy policy");
        browser.awaitTrue("document.querySelector('#policy-current')", PATIENCE);
        String read = browser.eval("[...document.querySelectorAll('button')].map(b => b.textContent)"
                + ".find(t => t.startsWith('Read version'))").asText();
        browser.press(read);
        browser.awaitTrue("document.querySelector('#policy-text pre') && document.querySelector('#policy-text pre')"
                + ".textContent.length > 1000", PATIENCE);
        screen("privacy-policy");

        // the same screens in Chinese, switched in the header
        browser.fill("Language", "zh-CN");
        browser.awaitTrue("document.documentElement.lang === 'zh-CN' && document.body.innerText.includes('隐私政策')"
                + " && document.body.innerText.includes('同意管理')", PATIENCE);
        browser.press("同意管理");
        browser.awaitTrue("document.querySelector('#purposes') && document.body.innerText.includes('法律依据')", PATIENCE);
        screen("privacy-consents-zh");
        browser.fill("语言", "en");
        browser.awaitTrue("document.documentElement.lang === 'en'", PATIENCE);
        browser.press("My history");
        browser.awaitTrue("document.querySelector('#history') || document.body.innerText.includes('Nothing yet')", PATIENCE);
        screen("privacy-history");

        // deletion, verified with the code sent by SMS
        browser.press("My rights");
        browser.awaitTrue("document.querySelector('h2') && document.querySelector('h2').textContent === 'Exercise a right'", PATIENCE);
        browser.fill("Right", "DELETION");
        browser.fill("Ground (deletion only)", "6.3.4");
        screen("privacy-rights");
        browser.press("Submit");
        browser.awaitTrue("[...document.querySelectorAll('label')].some(l => l.textContent === 'Code sent to your mobile')", PATIENCE);
        SmsInbox.Message requestCode = SmsInbox.await(mobile, m -> !seenSms.contains(m.noticeId())
                && m.text().matches("(?s).*\\b\\d{6}\\b.*"), PATIENCE);
        browser.fill("Code sent to your mobile", SmsInbox.code(requestCode));
        browser.press("Verify request");

        // live progress, holder by holder, then the certificate verified in the browser
        browser.awaitTrue("document.querySelector('#holders tbody tr')", PATIENCE);
        screen("privacy-request-progress");
        browser.awaitTrue("document.querySelector('#progress').dataset.status === 'COMPLETED'", Duration.ofMinutes(3));
        browser.awaitTrue("document.querySelector('#certificate')", PATIENCE);
        assertThat(browser.eval("document.querySelector('#certificate').dataset.valid").asText())
                .as("the certificate verified in the browser").isEqualTo("true");
        for (String holder : INTERNAL) {
            assertThat(browser.eval("document.querySelector('[data-holder=\"" + holder + "\"]').dataset.state").asText())
                    .as(holder).isEqualTo("FINAL");
        }
        String requestId = browser.eval("document.querySelector('main h2').textContent").asText().replace("Request ", "");
        JsonPath cert = given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token)
                .when().get("/v1/requests/{id}/certificate", requestId).then().statusCode(200).extract().jsonPath();
        assertThat(Certificates.verifies(PledgeSystem.RIGHTS, cert)).isTrue();
        assertThat(browser.text()).contains(cert.getString("certificateId")).contains("Signature verified in this browser");
        screen("privacy-certificate");
        assertOnlyTheGatewayWasCalled();
        assertThat(browser.pageErrors).as("errors in the page").isEmpty();
    }

    @Test
    @Tag("clause-6.3")
    @Tag("rights-request-service")
    void anOfficerSignsInWithTotpSeesTheEscalationOfASilentHolderRetriesAndTheRequestCompletes() throws Exception {
        String silent = "web-silent-" + PledgeSystem.RUN.toLowerCase();
        registerHolder(silent, 60);
        try (ExternalHolder holder = new ExternalHolder(silent, c -> null)) {
            Subjects.Person p = Subjects.register("console");
            UUID request = submitAndVerify(p, Map.of("type", "DELETION", "ground", "6.3.2"));
            Staff.Member officer = Staff.enrol(Staff.invite("privacy-officer"), "privacy-officer");

            open("/console/", "operator-console");
            screen("console-sign-in");
            signIn(officer);
            browser.awaitTrue("document.querySelector('#esc-h')", PATIENCE);
            assertThat(browser.text()).contains("privacy-officer").contains("Overdue").contains("Due soon");

            // the request is due soon (the e2e system's due-soon window is wide); the silent holder escalated by name
            browser.awaitTrue("document.querySelector('#due-soon') && document.querySelector('#due-soon').textContent.includes("
                    + Browser.js(request.toString().substring(0, 8)) + ")", PATIENCE);
            browser.awaitTrue("document.querySelector('[data-escalated-holder=" + Browser.js(silent) + "]')", Duration.ofMinutes(3));
            screen("console-escalations");

            // retry: the holder receives the command again and answers this time; the request completes
            long before = holder.received().stream().filter(c -> c.requestId().equals(request.toString())).count();
            assertThat(before).isPositive();
            browser.press("Retry " + silent);
            browser.awaitTrue("document.querySelector('#action-result').textContent.includes('Sent again to " + silent + "')", PATIENCE);
            await().atMost(PATIENCE).until(() -> holder.received().stream()
                    .filter(c -> c.requestId().equals(request.toString())).count() > before);
            ExternalHolder.Command resent = holder.received().stream()
                    .filter(c -> c.requestId().equals(request.toString())).reduce((a, b) -> b).orElseThrow();
            holder.reply(resent, "ERASED");
            browser.press("Open request " + request.toString().substring(0, 8));
            browser.awaitTrue("document.querySelector('#request') && document.querySelector('#request').dataset.status === 'COMPLETED'",
                    Duration.ofMinutes(2));
            assertThat(browser.eval("document.querySelector('[data-holder=" + Browser.js(silent) + "]').textContent").asText())
                    .isEqualTo("FINAL");
            screen("console-request-completed");
            assertOnlyTheGatewayWasCalled();
            JsonPath done = given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(p.access())
                    .when().get("/v1/requests/{id}", request).then().statusCode(200).extract().jsonPath();
            assertThat(done.getString("status")).isEqualTo("COMPLETED");
            assertThat(done.getString("holders.find { it.holderId == '" + silent + "' }.outcome")).isEqualTo("ERASED");

            // the officer's other screens
            browser.press("Holder registry");
            browser.awaitTrue("document.querySelector('#holder-registry')", PATIENCE);
            screen("console-holders");
            browser.press("Audit");
            browser.awaitTrue("document.querySelector('#reads-h')", PATIENCE);
            screen("console-audit");
            browser.press("Sign out");
            browser.awaitTrue("document.querySelector('h2').textContent === 'Sign in'", PATIENCE);
            assertThat(browser.pageErrors).as("errors in the page").isEmpty();
        } finally {
            given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(Subjects.officer())
                    .when().post("/v1/holders/{id}/offboarding", silent);
        }
    }

    @Test
    void eachStaffRoleSeesOnlyTheScreensAndActionsItsTokenAllows() throws Exception {
        // a support agent: requests and the registry, read only (no registration, no decision)
        Staff.Member agent = Staff.enrol(Staff.invite("support-agent"), "support-agent");
        signIn(agent);
        assertThat(navigation()).containsExactly("Requests", "Holder registry");
        browser.awaitTrue("document.querySelector('#esc-h')", PATIENCE);
        browser.press("Holder registry");
        browser.awaitTrue("document.querySelector('#holder-registry')", PATIENCE);
        assertThat(browser.text()).doesNotContain("Register a downstream team");
        assertThat(browser.eval("[...document.querySelectorAll('button')].some(b => b.textContent.startsWith('Offboard'))")
                .asBoolean()).as("an agent is offered no offboarding").isFalse();
        screen("console-holders-support-agent");
        browser.press("Sign out");

        // a security officer: breach incidents and the audit, nothing of the requests
        Staff.Member security = Staff.enrol(Staff.invite("security-officer"), "security-officer");
        signIn(security);
        assertThat(navigation()).containsExactly("Breach incidents", "Audit");
        browser.awaitTrue("document.querySelector('main h2').textContent === 'Breach incidents'"
                + " && !document.querySelector('main section[aria-busy]')", PATIENCE);
        assertThat(browser.eval("!!document.querySelector('[role=alert]')").asBoolean()).as(browser.text()).isFalse();
        // declares an incident for one subject: it is listed with its campaign, and its regulator report opens
        Subjects.Person affected = Subjects.register("breach");
        String title = "Web console drill " + PledgeSystem.RUN;
        browser.fill("Title (English)", title);
        browser.fill("Title (中文)", "演练 " + PledgeSystem.RUN);
        for (String part : List.of("What happened", "Possible effects", "Measures taken", "How subjects can protect themselves",
                "Remedies")) {
            browser.fill(part + " (English)", part + ": drill text.");
            browser.fill(part + " (中文)", "演练：" + part);
        }
        browser.fill("Data categories (comma separated)", "contact");
        browser.fill("Affected subject ids (one per line or comma separated)", affected.id().toString());
        browser.fill("Occurred", java.time.LocalDate.now().minusDays(1).toString());
        browser.fill("Discovered", java.time.LocalDate.now().toString());
        screen("console-incident-declare");
        browser.press("Declare");
        browser.awaitTrue("document.querySelector('#incidents') && document.querySelector('#incidents').textContent.includes("
                + Browser.js(title) + ")", PATIENCE);
        JsonNode incident = browser.eval("[...document.querySelectorAll('#incidents tbody tr')].map(r => r.textContent)"
                + ".find(t => t.includes(" + Browser.js(title) + "))");
        assertThat(incident.asText()).as("the incident's row").isNotBlank();
        String report = browser.eval("[...document.querySelectorAll('#incidents tbody tr')].find(r => r.textContent.includes("
                + Browser.js(title) + ")).querySelector('button').textContent").asText();
        browser.press(report);
        browser.awaitTrue("document.querySelector('#regulator-report pre')", PATIENCE);
        assertThat(browser.eval("document.querySelector('#regulator-report pre').textContent").asText()).contains(title);
        screen("console-incidents");
        browser.press("Audit");
        browser.awaitTrue("document.querySelector('#chain-h')", PATIENCE);
        String staffToken = new ObjectMapper().readTree(browser.eval("sessionStorage.getItem('pledge.staff')").asText())
                .path("access").asText();
        boolean valid = given().baseUri(PledgeSystem.AUDIT.url()).auth().oauth2(staffToken)
                .when().get("/v1/audit/verification").then().statusCode(200).extract().path("valid");
        assertThat(browser.text()).contains(valid ? "The audit chain verifies" : "The chain does NOT verify");
        screen("console-audit-security-officer");
        browser.press("Sign out");
        assertThat(browser.pageErrors).as("errors in the page").isEmpty();
    }

    @Test
    void aGuardianLinksAChildAndGivesConsentForItInThePrivacyCenter() throws Exception {
        // a child of ten registers (through its own mobile's code) and gets a link code; its parent is a subject
        long n = ThreadLocalRandom.current().nextLong(1_000_000_000L, 9_999_999_999L);
        Map<String, Object> kid = Map.of("userName", "kid-" + n, "email", "kid" + n + "@example.com", "mobile", "+861" + n,
                "password", "Pw-kid-" + UUID.randomUUID().toString().substring(0, 12),
                "birthDate", java.time.LocalDate.now().minusYears(10).toString());
        JsonPath reg = given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON)
                .header("X-Forwarded-For", "10.20." + ThreadLocalRandom.current().nextInt(256) + "." + ThreadLocalRandom.current().nextInt(1, 255))
                .body(kid).when().post("/v1/accounts").then().statusCode(201).extract().jsonPath();
        String child = reg.getString("subjectId");
        UUID mobileCheck = UUID.fromString(reg.getString("verifications.find { it.channel == 'MOBILE' }.verificationId"));
        String linkCode = given().baseUri(PledgeSystem.ACCOUNT.url()).contentType(ContentType.JSON)
                .body(Map.of("purpose", "REGISTRATION", "code", Subjects.code(mobileCheck)))
                .when().post("/v1/verifications/{id}/confirmation", mobileCheck).then().statusCode(200)
                .extract().path("guardianLinkCode");
        Subjects.Person parent = Subjects.register("parent");

        open("/privacy/", "privacy-center");
        browser.fill("Email or mobile", parent.email());
        browser.fill("Password", parent.password());
        browser.press("Log in");
        // the parent's preferred language is Chinese (the default); they switch the screens to English
        browser.awaitTrue("document.querySelector('#purposes') && document.documentElement.lang === 'zh-CN'", PATIENCE);
        browser.fill("语言", "en");
        browser.awaitTrue("document.querySelector('#purposes') && document.documentElement.lang === 'en'", PATIENCE);
        browser.press("Account");
        browser.awaitTrue("document.querySelector('h2') && document.querySelector('h2').textContent === 'Account'"
                + " && [...document.querySelectorAll('label')].some(l => l.textContent === 'Link code')", PATIENCE);
        browser.fill("Child's account id", child);
        browser.fill("Link code", linkCode);
        browser.check("I am the child's guardian and consent to the processing of the child's data");
        screen("privacy-guardian-link");
        browser.press("Link the child");
        browser.awaitTrue("document.body.innerText.includes('Linked: you now act for the child')", PATIENCE);
        // consent-service learns of the link from account.events: until then it refuses the child's consents (the
        // screen says so) and the guardian opens the screen again
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(2)).until(() -> {
            if (browser.eval("!!document.querySelector('#purposes')").asBoolean()) {
                return true;
            }
            browser.press("Consents");
            Thread.sleep(1000);
            return browser.eval("!!document.querySelector('#purposes')").asBoolean();
        });
        assertThat(browser.eval("[...document.querySelectorAll('label')].find(l => l.textContent === 'Acting for').control.value")
                .asText()).isEqualTo(child);

        // the guardian gives the child's consent (consent-service learns of the link from account.events: until then
        // it refuses, and the screen says so; the guardian tries again)
        await().atMost(PATIENCE).pollInterval(Duration.ofSeconds(3)).until(() -> {
            if (browser.eval("document.querySelector('[data-purpose=\"marketing-email\"]').dataset.decision === 'GIVEN'").asBoolean()) {
                return true;
            }
            browser.press("Give consent: marketing-email");
            Thread.sleep(1500);
            return browser.eval("document.querySelector('[data-purpose=\"marketing-email\"]').dataset.decision === 'GIVEN'").asBoolean();
        });
        screen("privacy-guardian-consents");
        String token = browser.eval("sessionStorage.getItem('pledge.subject.token')").asText();
        List<Map<String, Object>> records = consents(token).when().get("/v1/consents/{s}/records", child).then().statusCode(200)
                .extract().jsonPath().getList("items.findAll { it.purposeId == 'marketing-email' }");
        assertThat(records.get(records.size() - 1)).containsEntry("status", "GIVEN").containsEntry("actor", "GUARDIAN")
                .containsEntry("actorId", parent.id().toString());
        assertThat(browser.pageErrors).as("errors in the page").isEmpty();
    }

    // ---- helpers

    private static void signIn(Staff.Member m) throws Exception {
        open("/console/", "operator-console");
        browser.awaitTrue("document.querySelector('h2') && document.querySelector('h2').textContent === 'Sign in'", PATIENCE);
        browser.fill("Login", m.login);
        browser.fill("Password", m.password);
        browser.fill("Authenticator code (or a recovery code)", m.nextCode());
        browser.press("Sign in");
        browser.awaitTrue("document.querySelector('nav')", PATIENCE);
    }

    /** Every request the page made went to the gateway's origin: its files and /api/ routes, nothing else. */
    private static void assertOnlyTheGatewayWasCalled() {
        List<String> urls = new java.util.ArrayList<>();
        browser.eval("performance.getEntriesByType('resource').map(r => r.name)").forEach(u -> urls.add(u.asText()));
        urls.removeIf(u -> u.startsWith("data:")); // no request: the inline favicon
        assertThat(urls).isNotEmpty().allSatisfy(u -> assertThat(u).startsWith(PledgeSystem.GATEWAY + "/"));
        assertThat(urls).filteredOn(u -> !u.startsWith(PledgeSystem.GATEWAY + "/api/"))
                .allSatisfy(u -> assertThat(u).matches(".*/(privacy|console)/app\\.(js|css)"));
    }

    private static List<String> navigation() {
        List<String> names = new java.util.ArrayList<>();
        browser.eval("[...document.querySelectorAll('nav button')].map(b => b.textContent)").forEach(n -> names.add(n.asText()));
        return names;
    }

    /** Opens an app fresh and records its time to first paint and to its first render. */
    private static void open(String path, String app) {
        // a fresh visit: nothing kept from an earlier test's session or language choice
        browser.open(PledgeSystem.GATEWAY + path);
        browser.eval("sessionStorage.clear(); localStorage.clear(); true");
        browser.open(PledgeSystem.GATEWAY + path + "?fresh");
        browser.awaitTrue("performance.getEntriesByName('pledge:first-render').length > 0", PATIENCE);
        JsonNode m = browser.eval("(() => { const nav = performance.getEntriesByType('navigation')[0];"
                + " const fcp = performance.getEntriesByName('first-contentful-paint')[0];"
                + " const res = performance.getEntriesByType('resource');"
                + " return { firstContentfulPaintMs: fcp ? Math.round(fcp.startTime) : null,"
                + " firstRenderMs: Math.round(performance.getEntriesByName('pledge:first-render')[0].startTime),"
                + " domContentLoadedMs: Math.round(nav.domContentLoadedEventEnd), transferBytes: nav.transferSize"
                + " + res.reduce((s, r) => s + r.transferSize, 0) }; })()");
        MEASURED.set(app, m);
    }

    /** A screenshot of a main screen, after its accessibility scan and keyboard check. */
    private static void screen(String name) throws Exception {
        assertThat(browser.accessibilityProblems()).as("accessibility of %s", name).isEmpty();
        assertThat(browser.controlsTheKeyboardCannotReach()).as("controls Tab does not reach on %s", name).isEmpty();
        browser.screenshot(SHOTS.resolve(name + ".png"));
    }

    private static String sixDigits(String text) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(\\d{6})\\b").matcher(text);
        assertThat(m.find()).as("a six-digit code in the message").isTrue();
        return m.group(1);
    }

    private static RequestSpecification consents(String token) {
        return given().baseUri(PledgeSystem.CONSENT.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static RequestSpecification rights(String token) {
        return given().baseUri(PledgeSystem.RIGHTS.url()).auth().oauth2(token).contentType(ContentType.JSON);
    }

    private static void registerHolder(String holderId, long ackSlaSeconds) throws Exception {
        ExternalHolder.registered(holderId, rights(Subjects.officer()).body(Map.of("id", holderId, "kind", "DOWNSTREAM",
                        "categories", List.of("account", "contact", "profile"), "purposes", List.of("profiling"),
                        "region", "CN", "channel", "KAFKA",
                        "agreement", Map.of("matters", "user analytics", "period", "P1Y", "nature", "processing",
                                "purpose", "profiling", "responsibilities", "erase on request", "documentRef", "DPA-9"),
                        "ackSlaSeconds", ackSlaSeconds, "signingKeys", List.of(ExternalHolder.publicJwk(holderId))))
                .when().post("/v1/holders").then().statusCode(201).extract().path("kafka"));
    }

    private static UUID submitAndVerify(Subjects.Person p, Map<String, Object> body) throws Exception {
        JsonPath submitted = rights(p.access()).body(body).when().post("/v1/requests").then().statusCode(201)
                .extract().jsonPath();
        UUID id = UUID.fromString(submitted.getString("request.requestId"));
        rights(p.access()).body(Map.of("code", Subjects.code(UUID.fromString(submitted.getString("verification.verificationId")))))
                .when().post("/v1/requests/{id}/verification", id).then().statusCode(200);
        return id;
    }
}
