package io.globalgate.gateway;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Without an SMTP server the gateway writes each notification as an .eml file in its data dir. */
class GatewayNotificationTest {

    private Path dataDir;

    @AfterEach
    void cleanUp() {
        RunningGateway.delete(dataDir);
    }

    @Test
    void withoutSmtpEachNotificationIsAnEmlFileInTheDataDirWithoutTheTokenValue() throws Exception {
        dataDir = RunningGateway.newDataDir();
        try (RunningGateway gateway = RunningGateway.start(RunningGateway.config("--data-dir", dataDir.toString(),
                "--public-url", "https://gateway.example.com"))) {
            GatewayClient admin = new GatewayClient(gateway.uri(), "admin", gateway.info().generatedPassword());
            long integration = admin.createIntegration("Mail to files").get("id").asLong();
            String token = admin.createToken(integration, "production").get("token").asText();

            Path mail = dataDir.resolve("mail");
            List<Path> files = List.of();
            long deadline = System.currentTimeMillis() + 15_000;
            while (files.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
                if (Files.isDirectory(mail)) {
                    try (Stream<Path> list = Files.list(mail)) {
                        files = list.filter(p -> p.toString().endsWith(".eml")).toList();
                    }
                }
            }
            assertEquals(1, files.size(), "one message: the token was created");
            String eml = Files.readString(files.get(0), StandardCharsets.UTF_8);
            assertTrue(eml.contains("Subject: [Globalgate] New Global API access token for Mail to files"), eml);
            assertTrue(eml.contains("https://gateway.example.com/admin/tokens/"), eml);
            assertFalse(eml.contains(token), "a token value never goes into a message");
        }
    }

    @Test
    void badMailOptionsAreRefusedNamingTheGatewayOption() {
        GatewayConfig.UsageException e = assertThrows(GatewayConfig.UsageException.class,
                () -> RunningGateway.config("--smtp-host", "mail.example.com", "--smtp-security", "sometimes"));
        assertTrue(e.getMessage().contains("--smtp-security / GLOBALGATE_SMTP_SECURITY must be none, starttls or tls (was 'sometimes')"),
                e.getMessage());
        e = assertThrows(GatewayConfig.UsageException.class, () -> RunningGateway.config("--mail-from", "not an address\r\nBcc: x@y.z"));
        assertTrue(e.getMessage().contains("--mail-from / GLOBALGATE_MAIL_FROM must be an e-mail address"), e.getMessage());
        e = assertThrows(GatewayConfig.UsageException.class, () -> RunningGateway.config("--public-url", "javascript:alert(1)"));
        assertTrue(e.getMessage().contains("--public-url / GLOBALGATE_PUBLIC_URL must be an http(s) URL"), e.getMessage());
    }
}
