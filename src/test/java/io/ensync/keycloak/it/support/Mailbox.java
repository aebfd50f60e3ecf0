package io.ensync.keycloak.it.support;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.BodyPart;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * An SMTP server in the test JVM (GreenMail, on a free port of 127.0.0.1), one for the whole run: the realms that
 * send mail get it as their SMTP settings, and tests read what Keycloak's own e-mail sender delivered.
 */
public final class Mailbox {

    private static GreenMail server;

    private Mailbox() {
    }

    /** One received mail: recipient, subject and the text part. */
    public record Mail(String to, String subject, String text, String html) {
        /** The first URL of the text part that starts with {@code prefix}. */
        public String link(String prefix) {
            Matcher m = Pattern.compile(Pattern.quote(prefix) + "\\S+").matcher(text);
            if (!m.find()) {
                fail("no link starting with " + prefix + " in: " + text);
            }
            return m.group();
        }
    }

    private static synchronized GreenMail server() {
        if (server == null) {
            server = new GreenMail(new ServerSetup(FreePorts.free(), "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
            server.start();
        }
        return server;
    }

    /** Gives the realm this mailbox as its SMTP server (Realm settings → Email). */
    public static void configure(String realm) {
        Map<String, Object> smtp = new LinkedHashMap<>();
        smtp.put("host", "127.0.0.1");
        smtp.put("port", String.valueOf(server().getSmtp().getPort()));
        smtp.put("from", "portal@ensync.test");
        smtp.put("fromDisplayName", "EnSync partner portal");
        Http.keycloak().putJson("/admin/realms/" + realm, KeycloakApi.adminToken(), Map.of("smtpServer", smtp)).expect(204);
    }

    /** Every mail received so far for this address, oldest first. */
    public static List<Mail> of(String address) {
        List<Mail> mails = new ArrayList<>();
        for (MimeMessage message : server().getReceivedMessages()) {
            try {
                String to = message.getRecipients(Message.RecipientType.TO)[0].toString();
                if (to.equalsIgnoreCase(address)) {
                    mails.add(read(message, to));
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return mails;
    }

    /** Waits (up to 20 s) until the address has received {@code count} mails; answers the last one. */
    public static Mail await(String address, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            List<Mail> mails = of(address);
            if (mails.size() >= count) {
                return mails.get(count - 1);
            }
            server().waitForIncomingEmail(200, server().getReceivedMessages().length + 1);
        }
        return fail(address + " received " + of(address).size() + " mails, not " + count);
    }

    private static Mail read(MimeMessage message, String to) throws Exception {
        String text = null;
        String html = null;
        Object content = message.getContent();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                Object partContent = part.getContent();
                if (partContent instanceof Multipart inner) {
                    for (int j = 0; j < inner.getCount(); j++) {
                        BodyPart p = inner.getBodyPart(j);
                        if (p.isMimeType("text/plain")) text = (String) p.getContent();
                        if (p.isMimeType("text/html")) html = (String) p.getContent();
                    }
                } else if (part.isMimeType("text/plain")) {
                    text = (String) partContent;
                } else if (part.isMimeType("text/html")) {
                    html = (String) partContent;
                }
            }
        } else {
            text = String.valueOf(content);
        }
        return new Mail(to, message.getSubject(), text, html);
    }
}
