package io.pledge.notification.support;

import io.pledge.notification.smtp.EmbeddedSmtp;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Reads what the real SMTP server (GreenMail, the service's embedded one) received. */
public final class Mails {

    private Mails() {
    }

    /** Every message to that address. */
    public static List<MimeMessage> to(EmbeddedSmtp smtp, String address) {
        return Arrays.stream(smtp.received()).filter(m -> recipient(m).equalsIgnoreCase(address)).toList();
    }

    /** Every message of a notice (header X-Pledge-Notice). */
    public static List<MimeMessage> ofNotice(EmbeddedSmtp smtp, UUID noticeId) {
        return Arrays.stream(smtp.received()).filter(m -> noticeId.toString().equals(header(m, "X-Pledge-Notice"))).toList();
    }

    public static String recipient(MimeMessage m) {
        try {
            return m.getRecipients(Message.RecipientType.TO)[0].toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String header(MimeMessage m, String name) {
        try {
            String[] h = m.getHeader(name);
            return h == null ? null : h[0];
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String subject(MimeMessage m) {
        try {
            return m.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The plain-text body. */
    public static String text(MimeMessage m) {
        return part(m, "text/plain");
    }

    /** The HTML body, or null. */
    public static String html(MimeMessage m) {
        return part(m, "text/html");
    }

    private static String part(MimeMessage m, String type) {
        try {
            Object c = m.getContent();
            if (c instanceof String s) {
                return m.isMimeType(type) ? s : null;
            }
            return find((Multipart) c, type);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String find(Multipart mp, String type) throws Exception {
        for (int i = 0; i < mp.getCount(); i++) {
            BodyPart p = mp.getBodyPart(i);
            if (p.isMimeType(type)) {
                return p.getContent().toString();
            }
            if (p.getContent() instanceof Multipart inner) {
                String s = find(inner, type);
                if (s != null) {
                    return s;
                }
            }
        }
        return null;
    }
}
