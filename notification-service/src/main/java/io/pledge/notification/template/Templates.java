package io.pledge.notification.template;

import io.quarkus.qute.Engine;
import io.quarkus.qute.Template;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Message templates (Qute), one per template id and locale under {@code templates/notices/<id>/<locale>.txt}:
 * the first line is the subject, the rest the body. Every template exists in {@code zh-CN} and {@code en}.
 */
@ApplicationScoped
public class Templates {

    public static final List<String> LOCALES = List.of("zh-CN", "en");

    private final Engine engine;

    public Templates(Engine engine) {
        this.engine = engine;
    }

    /** Whether the template exists in every locale. */
    public boolean exists(String templateId) {
        if (templateId == null || !templateId.matches("[a-z0-9][a-z0-9.-]{0,63}")) {
            return false;
        }
        return LOCALES.stream().allMatch(l -> find(templateId, l) != null);
    }

    /**
     * Renders a template. {@code data} may name: {@code params} (the request's), {@code code},
     * {@code link}, {@code unsubscribeUrl}, {@code incident}, {@code announcementUrl}, {@code statement};
     * names not given are null.
     */
    public RenderedMessage render(String templateId, String locale, Map<String, Object> data) {
        Template t = find(templateId, LOCALES.contains(locale) ? locale : "zh-CN");
        if (t == null) {
            throw new IllegalArgumentException("unknown template " + templateId);
        }
        Map<String, Object> all = new HashMap<>();
        for (String k : List.of("params", "code", "link", "unsubscribeUrl", "incident", "announcementUrl", "statement")) {
            all.put(k, null);
        }
        all.put("params", Map.of());
        all.putAll(data);
        String out = t.data(all).render().strip();
        int nl = out.indexOf('\n');
        String subject = nl < 0 ? out : out.substring(0, nl).strip();
        String body = nl < 0 ? "" : out.substring(nl + 1).replaceAll("\n{3,}", "\n\n").strip() + "\n";
        return new RenderedMessage(subject, body);
    }

    private Template find(String templateId, String locale) {
        return engine.getTemplate("notices/" + templateId + "/" + locale + ".txt");
    }
}
