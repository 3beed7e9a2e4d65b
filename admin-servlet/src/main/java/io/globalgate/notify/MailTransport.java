package io.globalgate.notify;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/** Where a finished message goes: an SMTP server, or a folder of {@code .eml} files. */
interface MailTransport {

    /** Returns normally only when the message was accepted. */
    void send(MimeMessage message) throws MessagingException;

    jakarta.mail.Session session();
}
