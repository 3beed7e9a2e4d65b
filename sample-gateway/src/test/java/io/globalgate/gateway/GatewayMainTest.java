package io.globalgate.gateway;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code main} in a JVM of its own, as a person runs it: what it prints and its exit code. */
class GatewayMainTest {

    /** What the child JVM did. */
    private record Run(int exitCode, String stdout, String stderr) {
    }

    private static Run runMain(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), GatewayMain.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("GLOBALGATE_"));
        builder.environment().putAll(env);
        Process process = builder.start();
        process.getOutputStream().close();
        // Both streams are small here (a message or the help), so reading them one after the other cannot block.
        String stdout = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("GatewayMain did not exit; stdout:\n" + stdout + "\nstderr:\n" + stderr);
        }
        return new Run(process.exitValue(), stdout, stderr);
    }

    private static void assertNoStackTrace(Run run) {
        assertFalse(run.stderr().contains("Exception"), run.stderr());
        assertFalse(run.stderr().contains("at io."), run.stderr());
        assertFalse(run.stderr().contains("\tat "), run.stderr());
    }

    @Test
    void aPortThatIsNotANumberExitsWithCode2NamingTheOption() throws Exception {
        Run run = runMain(Map.of(), "--port", "banana");

        assertEquals(2, run.exitCode(), run::toString);
        assertEquals("globalgate: --port / GLOBALGATE_PORT must be a number from 0 to 65535 (was 'banana')\n"
                + "globalgate: see --help for every option\n", run.stderr().replace(System.lineSeparator(), "\n"));
        assertNoStackTrace(run);
        assertEquals("", run.stdout(), "nothing started, nothing logged");
    }

    @Test
    void aBadEnvironmentVariableExitsWithCode2LikeTheFlag() throws Exception {
        Run run = runMain(Map.of("GLOBALGATE_UPSTREAM_URL", "erp.internal:9000", "GLOBALGATE_ADMIN_PASSWORD", "short"));

        assertEquals(2, run.exitCode(), run::toString);
        assertTrue(run.stderr().contains("globalgate: --upstream-url / GLOBALGATE_UPSTREAM_URL must be an http(s) URL"), run.stderr());
        assertTrue(run.stderr().contains("globalgate: --admin-password / GLOBALGATE_ADMIN_PASSWORD must be 12 to 200 characters (was 5)"),
                run.stderr());
        assertNoStackTrace(run);
    }

    @Test
    void aPortInUseExitsWithCode1ForgettingThePasswordNobodySaw() throws Exception {
        Path dataDir = RunningGateway.newDataDir();
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Run run = runMain(Map.of("GLOBALGATE_DATA_DIR", dataDir.toString()), "--port", Integer.toString(taken.getLocalPort()));

            assertEquals(1, run.exitCode(), run::toString);
            assertTrue(run.stderr().startsWith("globalgate: could not start: Failed to bind to /127.0.0.1:" + taken.getLocalPort()),
                    run.stderr());
            assertNoStackTrace(run);
            assertFalse(run.stdout().contains("generated password"), run.stdout());
            assertFalse(Files.exists(dataDir.resolve(AdminCredentials.FILE_NAME)),
                    "the hash of a password that was never shown is not kept: the next start generates and prints one");
        } finally {
            RunningGateway.delete(dataDir);
        }
    }

    @Test
    void helpListsEveryOptionWithItsDefault() throws Exception {
        Run run = runMain(Map.of(), "--help");

        assertEquals(0, run.exitCode(), run::toString);
        assertEquals(GatewayConfig.help(), run.stdout());
        assertEquals("", run.stderr());
        for (io.globalgate.config.Option<?> option : GatewayConfig.OPTIONS) {
            assertTrue(run.stdout().contains(option.flag()) && run.stdout().contains(option.env()), option.flag());
        }
        for (String defaultValue : new String[] {"default: 8080", "default: 127.0.0.1", "default: ./globalgate-data", "default: 30s",
                "default: admin"}) {
            assertTrue(run.stdout().contains(defaultValue), defaultValue);
        }
    }
}
