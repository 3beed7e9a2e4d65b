package io.globalgate.gateway;

import java.net.URI;
import java.nio.file.Path;

/** What the start-up log tells a newcomer; a bean of the server that {@link GatewayServer} builds. */
public record GatewayInfo(Path dataDir, String database, boolean embeddedDatabase, String adminUser,
                          String generatedPassword, boolean passwordFromFile, java.util.function.Supplier<URI> upstream,
                          boolean demoUpstream) {

    @Override
    public String toString() {
        return "GatewayInfo[dataDir=" + dataDir + ", database=" + database + ", adminUser=" + adminUser + ", password=<masked>]";
    }
}
