package io.globalgate.notify;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/** Writes each message as an {@code .eml} file (written aside, then moved in, so no reader sees half a file). */
final class EmlFileTransport implements MailTransport {

    private static final Logger LOG = LoggerFactory.getLogger(EmlFileTransport.class);

    private final Path dir;
    private final Session session = Session.getInstance(new Properties());

    EmlFileTransport(Path dir) {
        this.dir = dir;
    }

    @Override
    public void send(MimeMessage message) throws MessagingException {
        try {
            Files.createDirectories(dir);
            String name = message.getHeader("X-Globalgate-Notification", null);
            Path target = dir.resolve("notification-" + (name == null ? System.nanoTime() : name) + ".eml");
            Path temp = Files.createTempFile(dir, ".notification-", ".tmp");
            try (OutputStream out = Files.newOutputStream(temp)) {
                message.writeTo(out);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("Notification e-mail to {} written to {} (no SMTP server configured)",
                    message.getAllRecipients()[0], target);
        } catch (IOException e) {
            throw new MessagingException("could not write " + dir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Session session() {
        return session;
    }
}
