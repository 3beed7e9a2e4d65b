package io.globalgate.notify;

import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import java.time.Duration;
import java.util.Properties;

/** Delivery over SMTP with Jakarta Mail (Eclipse Angus Mail). */
final class SmtpMailTransport implements MailTransport {

    private final Session session;

    SmtpMailTransport(NotificationSettings.Smtp s, Duration timeoutAfter) {
        Properties p = new Properties();
        boolean implicitTls = "tls".equals(s.security());
        String protocol = implicitTls ? "smtps" : "smtp";
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", s.host());
        p.put("mail." + protocol + ".port", Integer.toString(s.port()));
        String timeout = Long.toString(timeoutAfter.toMillis());
        p.put("mail." + protocol + ".connectiontimeout", timeout);
        p.put("mail." + protocol + ".timeout", timeout);
        p.put("mail." + protocol + ".writetimeout", timeout);
        if ("starttls".equals(s.security())) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true"); // never fall back to plain text with a password
        }
        if (implicitTls || "starttls".equals(s.security())) {
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        Authenticator auth = null;
        if (s.user() != null) {
            p.put("mail." + protocol + ".auth", "true");
            String user = s.user();
            String password = s.password() == null ? "" : s.password();
            auth = new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return new PasswordAuthentication(user, password);
                }
            };
        }
        this.session = Session.getInstance(p, auth);
    }

    @Override
    public void send(MimeMessage message) throws MessagingException {
        Transport.send(message);
    }

    @Override
    public Session session() {
        return session;
    }
}
