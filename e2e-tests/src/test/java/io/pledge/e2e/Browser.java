package io.pledge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's {@code chromium}, headless, driven over the Chrome DevTools Protocol with the JDK's own WebSocket client:
 * what the web apps' browser tests ({@link WebAppsIT}) use instead of a test tool that would download a browser of its
 * own. One page; the tests type with {@code Input.insertText}, press keys with {@code Input.dispatchKeyEvent} (so every
 * action they take is a keyboard action), read the page with {@code Runtime.evaluate} and take screenshots.
 */
final class Browser implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    /** Uncaught page errors and console errors (not the network log of refused calls), which the tests assert are none. */
    final List<String> pageErrors = Collections.synchronizedList(new ArrayList<>());

    private Browser(Process process, Path profile, WebSocket socket) {
        this.process = process;
        this.profile = profile;
        this.socket = socket;
    }

    /** The chromium binary: PLEDGE_CHROMIUM or Debian's /usr/bin/chromium (deploy/local/web test-deps installs it). */
    static Path executable() {
        String configured = System.getenv("PLEDGE_CHROMIUM");
        Path p = Path.of(configured != null && !configured.isBlank() ? configured : "/usr/bin/chromium");
        if (!Files.isExecutable(p)) {
            throw new IllegalStateException(p + " is missing: deploy/local/web test-deps installs Debian's chromium");
        }
        return p;
    }

    static Browser launch() throws Exception {
        Path profile = Files.createTempDirectory("pledge-chromium-");
        List<String> cmd = new ArrayList<>(List.of(executable().toString(), "--headless=new", "--disable-gpu",
                "--ignore-certificate-errors", // the e2e gateway's self-signed certificate
                "--remote-debugging-port=0", "--remote-debugging-address=127.0.0.1", "--user-data-dir=" + profile,
                "--window-size=1280,900", "--no-first-run", "--no-default-browser-check", "--disable-extensions",
                "--disable-background-networking", "--disable-sync", "--lang=en-US", "--password-store=basic"));
        if ("root".equals(System.getProperty("user.name"))) {
            cmd.add("--no-sandbox"); // chromium refuses to run as root with its sandbox
        }
        cmd.add("about:blank");
        Path log = PledgeSystem.dataDir().resolve("logs").resolve("chromium.log");
        Files.createDirectories(log.getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Path portFile = profile.resolve("DevToolsActivePort");
        long end = System.currentTimeMillis() + 30_000;
        while (!Files.exists(portFile) || Files.readAllLines(portFile).isEmpty()) {
            if (!p.isAlive() || System.currentTimeMillis() > end) {
                p.destroyForcibly();
                throw new IllegalStateException("chromium did not start; see " + log);
            }
            Thread.sleep(100);
        }
        int port = Integer.parseInt(Files.readAllLines(portFile).get(0).trim());
        HttpClient http = HttpClient.newHttpClient();
        String wsUrl = null;
        while (wsUrl == null && System.currentTimeMillis() < end) {
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list"))
                    .build(), HttpResponse.BodyHandlers.ofString()).body());
            for (JsonNode t : targets) {
                if ("page".equals(t.path("type").asText())) {
                    wsUrl = t.path("webSocketDebuggerUrl").asText();
                }
            }
            if (wsUrl == null) {
                Thread.sleep(100);
            }
        }
        if (wsUrl == null) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium opened no page");
        }
        Browser[] self = new Browser[1];
        Listener listener = new Listener(self);
        WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(wsUrl), listener).get(30, TimeUnit.SECONDS);
        Browser b = new Browser(p, profile, ws);
        self[0] = b;
        b.send("Page.enable", Map.of());
        b.send("Runtime.enable", Map.of());
        b.send("Log.enable", Map.of());
        return b;
    }

    /** Collects the frames of each message and hands complete messages to the browser. */
    private static final class Listener implements WebSocket.Listener {
        private final Browser[] browser;
        private final StringBuilder buffer = new StringBuilder();

        Listener(Browser[] browser) {
            this.browser = browser;
        }

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            buffer.append(data);
            if (last) {
                String message = buffer.toString();
                buffer.setLength(0);
                try {
                    browser[0].received(JSON.readTree(message));
                } catch (IOException | RuntimeException e) {
                    // a message we cannot read concerns no command of ours
                }
            }
            ws.request(1);
            return null;
        }
    }

    private void received(JsonNode m) {
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = pending.remove(m.get("id").asInt());
            if (f != null) {
                f.complete(m);
            }
            return;
        }
        String method = m.path("method").asText();
        if (method.equals("Runtime.exceptionThrown")) {
            pageErrors.add(m.at("/params/exceptionDetails/exception/description").asText(
                    m.at("/params/exceptionDetails/text").asText()));
        } else if (method.equals("Log.entryAdded") && "error".equals(m.at("/params/entry/level").asText())
                && !"network".equals(m.at("/params/entry/source").asText())) {
            // a refused API call (a 4xx the page shows as a message) is the browser's network log, not a page error
            pageErrors.add(m.at("/params/entry/text").asText() + " " + m.at("/params/entry/url").asText());
        }
    }

    /** Sends one DevTools command and waits for its result. */
    JsonNode send(String method, Map<String, ?> params) {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", JSON.valueToTree(params));
        try {
            socket.sendText(msg.toString(), true).get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            JsonNode answer = f.get(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
            if (answer.has("error")) {
                throw new IllegalStateException(method + ": " + answer.get("error"));
            }
            return answer.path("result");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            pending.remove(id);
            throw new IllegalStateException(method + " got no answer", e);
        }
    }

    /** Opens a URL and waits until the document has loaded. */
    void open(String url) {
        send("Page.navigate", Map.of("url", url));
        awaitTrue("document.readyState === 'complete' && location.href === " + JSON.valueToTree(url), Duration.ofSeconds(30));
    }

    /** The value of a JavaScript expression (promises awaited); an exception in the page fails the test. */
    JsonNode eval(String expression) {
        JsonNode r = send("Runtime.evaluate", Map.of("expression", expression, "awaitPromise", true, "returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("in the page: " + r.at("/exceptionDetails/exception/description").asText(
                    r.at("/exceptionDetails/text").asText()) + "\n  evaluating: " + expression);
        }
        return r.at("/result/value");
    }

    /** Waits until the expression is true in the page. */
    void awaitTrue(String expression, Duration within) {
        long end = System.currentTimeMillis() + within.toMillis();
        while (true) {
            JsonNode v;
            try {
                v = eval("!!(" + expression + ")");
            } catch (AssertionError | IllegalStateException e) {
                v = null; // the page is navigating
            }
            if (v != null && v.asBoolean()) {
                return;
            }
            if (System.currentTimeMillis() > end) {
                throw new AssertionError("not true within " + within + ": " + expression + "\n  page text: "
                        + text().replaceAll("\\s+", " "));
            }
            sleep(250);
        }
    }

    /** The visible text of the page. */
    String text() {
        try {
            return eval("document.body ? document.body.innerText : ''").asText();
        } catch (AssertionError | IllegalStateException e) {
            return "";
        }
    }

    /** Types text into the focused element, as a keyboard (or an input method) would. */
    void type(String text) {
        send("Input.insertText", Map.of("text", text));
    }

    /** Presses and releases one key (Tab, Enter, Space, Escape) on the focused element. */
    void key(String key) {
        Map<String, Object> k = switch (key) {
            case "Tab" -> Map.of("key", "Tab", "code", "Tab", "windowsVirtualKeyCode", 9);
            case "Enter" -> Map.of("key", "Enter", "code", "Enter", "windowsVirtualKeyCode", 13, "text", "\r");
            case "Space" -> Map.of("key", " ", "code", "Space", "windowsVirtualKeyCode", 32, "text", " ");
            case "Escape" -> Map.of("key", "Escape", "code", "Escape", "windowsVirtualKeyCode", 27);
            default -> throw new IllegalArgumentException(key);
        };
        Map<String, Object> down = new java.util.HashMap<>(k);
        down.put("type", k.containsKey("text") ? "keyDown" : "rawKeyDown");
        send("Input.dispatchKeyEvent", down);
        Map<String, Object> up = new java.util.HashMap<>(k);
        up.remove("text");
        up.put("type", "keyUp");
        send("Input.dispatchKeyEvent", up);
    }

    // ---- what a user does, by the names the page shows (so a missing label or name fails the test)

    /** A JavaScript string literal. */
    static String js(String s) {
        return JSON.valueToTree(s).toString();
    }

    /**
     * Fills the control labelled {@code label}: focuses it (through its {@code <label>}, which must exist) and types
     * the text; a select or a date input gets its value set, as choosing from its picker would.
     */
    void fill(String label, String value) {
        eval("(() => { const l = [...document.querySelectorAll('label')].find(x => x.textContent.trim() === " + js(label)
                + "); if (!l || !l.control) throw new Error('no control labelled ' + " + js(label) + ");"
                + " const c = l.control; c.focus(); if (document.activeElement !== c) throw new Error('cannot focus ' + "
                + js(label) + "); if (c.tagName === 'SELECT' || c.type === 'date') { c.value = " + js(value)
                + "; c.dispatchEvent(new Event('input', {bubbles: true})); c.dispatchEvent(new Event('change', {bubbles: true})); }"
                + " else { c.value = ''; } })()");
        if (!eval("document.activeElement.tagName === 'SELECT' || document.activeElement.type === 'date'").asBoolean()) {
            type(value);
        }
    }

    /** Ticks the checkbox labelled {@code label} from the keyboard (focus, Space). */
    void check(String label) {
        eval("(() => { const l = [...document.querySelectorAll('label')].find(x => x.textContent.trim() === " + js(label)
                + "); if (!l || !l.control) throw new Error('no control labelled ' + " + js(label) + "); l.control.focus(); })()");
        key("Space");
        if (!eval("document.activeElement.checked === true").asBoolean()) {
            throw new AssertionError("Space did not tick " + label);
        }
    }

    /** Focuses the enabled button named {@code name} and presses Enter on it (a keyboard user's click). */
    void press(String name) {
        String find = "[...document.querySelectorAll('button, a[href]')].find(x => x.textContent.trim() === " + js(name)
                + " && !x.disabled)";
        awaitTrue(find, Duration.ofSeconds(20));
        eval("(() => { const b = " + find + "; b.focus(); if (document.activeElement !== b) throw new Error('cannot focus '"
                + " + " + js(name) + "); })()");
        key("Enter");
    }

    /**
     * The accessibility scan of the page as it is: axe-core (from web/node_modules, the version of the web apps'
     * lockfile) run in the page for WCAG 2.1 A and AA, and every control named by a label. Returns the violations.
     */
    List<String> accessibilityProblems() throws IOException {
        if (!eval("typeof window.axe === 'object'").asBoolean()) {
            Path axe = PledgeSystem.root().resolve("web/node_modules/axe-core/axe.min.js");
            if (!Files.exists(axe)) {
                throw new IllegalStateException(axe + " is missing: deploy/local/web build installs it (npm ci)");
            }
            eval(Files.readString(axe) + "; true");
        }
        List<String> problems = new ArrayList<>();
        eval("axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"
                + ".then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', ')))")
                .forEach(v -> problems.add(v.asText()));
        eval("[...document.querySelectorAll('input, select, textarea')].filter(c => c.type !== 'hidden'"
                + " && c.labels.length === 0 && !c.getAttribute('aria-label')).map(c => 'unlabelled control: ' + (c.name || c.id))")
                .forEach(v -> problems.add(v.asText()));
        return problems;
    }

    /**
     * Presses Tab from the top of the page until focus has come round at least once, and returns the enabled, visible controls
     * (buttons, links, inputs, selects) that focus never reached: none, for a page usable from the keyboard.
     */
    List<String> controlsTheKeyboardCannotReach() {
        for (int attempt = 1; ; attempt++) {
            List<String> missed = new ArrayList<>();
            if (tabRound(missed) || attempt == 3) {
                return missed;
            }
            // the page refreshed itself meanwhile (a polling view): look again at the new controls
        }
    }

    /** One round of Tab presses; false when the controls were replaced during it. */
    private boolean tabRound(List<String> missed) {
        int count = eval("(() => { const cs = [...document.querySelectorAll('button, a[href], input, select, textarea')]"
                + ".filter(c => !c.disabled && c.offsetParent !== null); cs.forEach((c, i) => c.dataset.kb = String(i));"
                + " window.__reached = new Set(); document.addEventListener('focusin', e => { if (e.target.dataset"
                + " && e.target.dataset.kb) window.__reached.add(e.target.dataset.kb); }); document.activeElement.blur();"
                + " const top = document.createElement('span'); top.tabIndex = -1; top.id = '__kb_top';"
                + " document.body.prepend(top); top.focus(); window.scrollTo(0, 0); return cs.length; })()").asInt();
        // a date input takes three Tabs (day, month, year): enough presses to come round once whatever the controls
        for (int i = 0; i < 3 * count + 5; i++) {
            key("Tab");
        }
        eval("document.getElementById('__kb_top').remove(); true");
        boolean intact = eval("document.querySelectorAll('[data-kb]').length").asInt() == count;
        eval("[...document.querySelectorAll('[data-kb]')].filter(c => !window.__reached.has(c.dataset.kb))"
                + ".map(c => c.tagName.toLowerCase() + ' ' + (c.textContent.trim() || c.name || c.id))")
                .forEach(v -> missed.add(v.asText()));
        eval("document.querySelectorAll('[data-kb]').forEach(c => delete c.dataset.kb); true");
        if (!intact) {
            missed.clear();
        }
        return intact && count > 0;
    }

    /** A PNG of the whole page. */
    void screenshot(Path file) throws IOException {
        JsonNode r = send("Page.captureScreenshot", Map.of("format", "png", "captureBeyondViewport", true));
        Files.createDirectories(file.getParent());
        Files.write(file, Base64.getDecoder().decode(r.path("data").asText()));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        try {
            socket.sendText("{\"id\":0,\"method\":\"Browser.close\",\"params\":{}}", true).get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // it is ended below all the same
        }
        socket.abort();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        try (var files = Files.walk(profile)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary folder left behind
        }
    }
}
