package io.globalgate.gateway;

import org.eclipse.jetty.server.Server;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;

/** Starts the sample gateway: {@code java -jar globalgate-gateway.jar [--help]}. Exit code 2 on bad options. */
public final class GatewayMain {

    private static final Logger LOG = LoggerFactory.getLogger("globalgate");

    private GatewayMain() {
    }

    public static void main(String[] args) throws Exception {
        if (GatewayConfig.wantsHelp(args)) {
            System.out.print(GatewayConfig.help());
            return;
        }
        GatewayConfig config;
        try {
            config = GatewayConfig.parse(args, System.getenv());
        } catch (GatewayConfig.UsageException e) {
            System.err.println("globalgate: " + e.getMessage().replace("\n", "\nglobalgate: "));
            System.err.println("globalgate: see --help for every option");
            System.exit(2);
            return;
        }
        Server server;
        try {
            server = GatewayServer.createServer(config);
            server.start();
        } catch (Exception e) {
            System.err.println("globalgate: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        GatewayInfo info = server.getBean(GatewayInfo.class);
        URI uri = GatewayServer.publicUri(server);
        String base = "http://" + (config.host().equals("0.0.0.0") ? "localhost" : config.host()) + ":" + uri.getPort();
        LOG.info("Globalgate gateway is up at {}", base);
        LOG.info("  Global API      {}/api/global/... -> {}{}", base, info.upstream().get(),
                info.demoUpstream() ? " (built-in demo Global API)" : "");
        LOG.info("  Admin           {}/admin/  (JSON API: {}/admin/api/v1/)", base, base);
        LOG.info("  Database        {}", info.database());
        LOG.info("  Data directory  {}", info.dataDir());
        URI management = GatewayServer.managementUri(server);
        LOG.info("  Health          {}/health", base);
        LOG.info("  Management      {}metrics  {}health  (--management-host, --management-port)", management, management);
        if (info.generatedPassword() != null) {
            LOG.info("  Sign in as '{}' with the generated password: {}", info.adminUser(), info.generatedPassword());
            LOG.info("  (shown only now; its hash is kept in {}; delete that file to generate a new one)",
                    info.dataDir().resolve(AdminCredentials.FILE_NAME));
        } else if (info.passwordFromFile()) {
            LOG.info("  Sign in as '{}' with the password generated on the first start (hash in {})", info.adminUser(),
                    info.dataDir().resolve(AdminCredentials.FILE_NAME));
        } else {
            LOG.info("  Sign in as '{}' with the configured password (--admin-password-file, --admin-password or their variables)", info.adminUser());
        }
        server.join();
    }
}
