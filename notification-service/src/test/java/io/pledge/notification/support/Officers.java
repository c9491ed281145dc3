package io.pledge.notification.support;

import static io.restassured.RestAssured.given;

import io.pledge.kit.security.Roles;
import io.pledge.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Tokens and request bodies of officers (minted with the test key every %test profile trusts). */
public final class Officers {

    public static final String PROBLEM = "application/problem+json";

    private Officers() {
    }

    public static RequestSpecification security() {
        return given().auth().oauth2(token("sec-" + UUID.randomUUID(), Roles.SECURITY_OFFICER)).contentType(ContentType.JSON);
    }

    public static RequestSpecification privacy() {
        return given().auth().oauth2(token("dpo-" + UUID.randomUUID(), Roles.PRIVACY_OFFICER)).contentType(ContentType.JSON);
    }

    /**
     * Minted with this class's loader as the context class loader: under a test profile the thread's loader can be
     * another one than the loader of the JWT builder's configuration lookup, which then finds no usable config factory.
     */
    private static String token(String subject, String role) {
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        t.setContextClassLoader(Officers.class.getClassLoader());
        try {
            return TestTokens.token(subject, Set.of(role), Duration.ofMinutes(10));
        } finally {
            t.setContextClassLoader(before);
        }
    }

    public static Map<String, String> text(String zh, String en) {
        return Map.of("zh-CN", zh, "en", en);
    }

    /** A complete declaration; callers adjust it. */
    public static Map<String, Object> declaration(String affectedBy, List<UUID> subjects, List<String> channels) {
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("title", text("账户数据泄露", "Account data exposure"));
        d.put("whatHappened", text("一个备份文件被未授权访问。", "A backup file was accessed without authorisation."));
        d.put("possibleEffects", text("您的联系方式可能被用于钓鱼。", "Your contact details may be used for phishing."));
        d.put("measuresTaken", text("我们已关闭该访问并轮换密钥。", "We closed the access and rotated keys."));
        d.put("selfProtection", text("请警惕可疑邮件并修改密码。", "Be wary of suspicious emails and change your password."));
        d.put("remedies", text("我们为您提供一年的身份保护服务。", "We offer one year of identity protection."));
        d.put("categories", List.of("contact"));
        d.put("affectedBy", affectedBy);
        if (subjects != null) {
            d.put("affectedSubjects", subjects.stream().map(UUID::toString).toList());
        }
        d.put("channels", channels);
        d.put("occurredAt", "2026-11-20T08:00:00Z");
        d.put("discoveredAt", "2026-11-21T09:30:00Z");
        return d;
    }
}
