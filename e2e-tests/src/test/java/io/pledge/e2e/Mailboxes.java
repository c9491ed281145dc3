package io.pledge.e2e;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import java.time.Duration;
import java.util.Properties;
import java.util.function.Predicate;

/**
 * The mailboxes of notification-service's embedded mail server in the e2e system, read over IMAP
 * as a mail client reads them (the embedded server makes a mailbox per recipient whose login and
 * password are the address).
 */
final class Mailboxes {

    /** One received message: subject and plain text. */
    record Mail(String subject, String text) {
    }

    private Mailboxes() {
    }

    static Mail await(String address, Predicate<Mail> which, Duration within) throws Exception {
        long end = System.currentTimeMillis() + within.toMillis();
        while (System.currentTimeMillis() < end) {
            try {
                for (Mail m : read(address)) {
                    if (which.test(m)) {
                        return m;
                    }
                }
            } catch (jakarta.mail.AuthenticationFailedException noMailboxYet) {
                // the mailbox appears with the first message
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no matching mail for the subject's address within " + within);
    }

    /** How many messages in the mailbox match now (0 when it does not exist yet). */
    static long count(String address, Predicate<Mail> which) throws Exception {
        try {
            return read(address).stream().filter(which).count();
        } catch (jakarta.mail.AuthenticationFailedException noMailboxYet) {
            return 0;
        }
    }

    private static java.util.List<Mail> read(String address) throws Exception {
        Properties p = new Properties();
        p.put("mail.store.protocol", "imap");
        p.put("mail.imap.host", "127.0.0.1");
        p.put("mail.imap.port", Integer.toString(PledgeSystem.IMAP_PORT));
        Session session = Session.getInstance(p);
        java.util.List<Mail> out = new java.util.ArrayList<>();
        try (Store store = session.getStore("imap")) {
            store.connect("127.0.0.1", PledgeSystem.IMAP_PORT, address, address);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            for (Message m : inbox.getMessages()) {
                out.add(new Mail(m.getSubject(), text(m)));
            }
            inbox.close(false);
        }
        return out;
    }

    private static String text(Part p) throws Exception {
        if (p.isMimeType("text/plain")) {
            return (String) p.getContent();
        }
        if (p.isMimeType("multipart/*")) {
            Multipart mp = (Multipart) p.getContent();
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < mp.getCount(); i++) {
                b.append(text(mp.getBodyPart(i)));
            }
            return b.toString();
        }
        if (p.isMimeType("text/html")) {
            return ((String) p.getContent()).replaceAll("<[^>]+>", " ");
        }
        return "";
    }
}
