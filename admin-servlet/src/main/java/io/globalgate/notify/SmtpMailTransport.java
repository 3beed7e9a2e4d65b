package io.globalgate.notify;

import jakarta.mail.Authenticator;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

import java.util.Properties;

/** Delivery over SMTP with Jakarta Mail (Eclipse Angus Mail). */
final class SmtpMailTransport implements MailTransport {

    private final Session session;

    SmtpMailTransport(NotificationSettings s) {
        Properties p = new Properties();
        boolean implicitTls = "tls".equals(s.smtpSecurity());
        String protocol = implicitTls ? "smtps" : "smtp";
        p.put("mail.transport.protocol", protocol);
        p.put("mail." + protocol + ".host", s.smtpHost());
        p.put("mail." + protocol + ".port", Integer.toString(s.smtpPort()));
        String timeout = Long.toString(s.smtpTimeout().toMillis());
        p.put("mail." + protocol + ".connectiontimeout", timeout);
        p.put("mail." + protocol + ".timeout", timeout);
        p.put("mail." + protocol + ".writetimeout", timeout);
        if ("starttls".equals(s.smtpSecurity())) {
            p.put("mail.smtp.starttls.enable", "true");
            p.put("mail.smtp.starttls.required", "true"); // never fall back to plain text with a password
        }
        if (implicitTls || "starttls".equals(s.smtpSecurity())) {
            p.put("mail." + protocol + ".ssl.checkserveridentity", "true");
        }
        Authenticator auth = null;
        if (s.smtpUser() != null) {
            p.put("mail." + protocol + ".auth", "true");
            String user = s.smtpUser();
            String password = s.smtpPassword() == null ? "" : s.smtpPassword();
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
