package io.globalgate.filter.jetty;

import io.globalgate.filter.contract.ContainerHarness;
import io.globalgate.filter.contract.RestrictionBehaviourContract;
import io.globalgate.testing.jetty.JettyHarness;
import org.junit.jupiter.api.Tag;

/** Token restrictions in embedded Jetty 12 (ee10). */
@Tag("jetty")
class JettyRestrictionTest extends RestrictionBehaviourContract {

    private final JettyHarness harness = new JettyHarness();

    @Override
    protected ContainerHarness harness() {
        return harness;
    }
}
