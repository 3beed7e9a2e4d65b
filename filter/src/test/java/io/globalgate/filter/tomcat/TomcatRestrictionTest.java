package io.globalgate.filter.tomcat;

import io.globalgate.filter.contract.ContainerHarness;
import io.globalgate.filter.contract.RestrictionBehaviourContract;
import io.globalgate.testing.tomcat.TomcatHarness;
import org.junit.jupiter.api.Tag;

/** Token restrictions in embedded Tomcat 11. */
@Tag("tomcat")
class TomcatRestrictionTest extends RestrictionBehaviourContract {

    private final TomcatHarness harness = new TomcatHarness();

    @Override
    protected ContainerHarness harness() {
        return harness;
    }
}
