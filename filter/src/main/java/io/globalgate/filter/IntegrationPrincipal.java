package io.globalgate.filter;

import java.security.Principal;

/** The caller of an accepted request: the integration that owns the token. */
public record IntegrationPrincipal(long integrationId, String name, long tokenId) implements Principal {

    @Override
    public String getName() {
        return name;
    }
}
