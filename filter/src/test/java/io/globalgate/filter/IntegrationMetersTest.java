package io.globalgate.filter;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code globalgate.integration.requests} on its own, without a store: the bound of the filter's
 * {@code integrationMetrics}, and integrations met before the meters are bound to a registry.
 * (What a verifier counts per integration: {@link FilterMetricsTest}.)
 */
class IntegrationMetersTest {

    private static double count(SimpleMeterRegistry registry, String integration, String reason) {
        return registry.get(IntegrationMeters.NAME).tag("integration", integration).tag("reason", reason).functionCounter().count();
    }

    private static Set<String> integrations(SimpleMeterRegistry registry) {
        return registry.find(IntegrationMeters.NAME).meters().stream().map(m -> m.getId().getTag("integration"))
                .collect(Collectors.toSet());
    }

    @Test
    void integrationMetricsAtItsMaximumCountsThatManyIntegrationsApartAndOneMoreIsRefusedWithTheOptionsMessage() {
        String max = Integer.toString(IntegrationMeters.MAX_LIMIT);
        TokenFilterConfig config = TokenFilterConfig.fromMap(Map.of(TokenFilterConfig.INTEGRATION_METRICS, max));
        assertEquals(1000, config.integrationMetrics());
        try (IntegrationMeters meters = new IntegrationMeters(config.integrationMetrics())) { // what the filter's init does
            for (long id = 1; id <= 1000; id++) {
                assertEquals("Integration " + id, meters.of(id, "Integration " + id).name, "counted apart");
            }
            assertEquals(IntegrationMeters.OTHER, meters.of(1001, "Integration 1001").name, "the one after the thousandth");
        }

        String over = Integer.toString(IntegrationMeters.MAX_LIMIT + 1);
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
                () -> TokenFilterConfig.fromMap(Map.of(TokenFilterConfig.INTEGRATION_METRICS, over)));
        assertEquals("Globalgate filter configuration refused: integrationMetrics: must be a whole number from 0 (off) to 1000 (was '1001')",
                refused.getMessage());
        // A host that builds the meters itself is refused alike, before any meter exists.
        assertEquals("integrationMetrics must be from 0 to 1000, was 1001",
                assertThrows(IllegalArgumentException.class, () -> new IntegrationMeters(1001)).getMessage());
        assertEquals("integrationMetrics must be from 0 to 1000, was -1",
                assertThrows(IllegalArgumentException.class, () -> new IntegrationMeters(-1)).getMessage());
    }

    @Test
    void integrationsMetBeforeBindingAreRegisteredWhenBoundWithWhatTheyCountedMeanwhile() {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (IntegrationMeters meters = new IntegrationMeters(2)) {
            IntegrationMeters.Integration first = meters.of(1, "First");
            first.counter(IntegrationMeters.Kind.ACCEPTED).increment();
            first.counter(IntegrationMeters.Kind.ACCEPTED).increment();
            meters.of(2, "Second").counter(IntegrationMeters.Kind.SCOPE).increment();
            IntegrationMeters.Integration other = meters.of(3, "Third");
            other.counter(IntegrationMeters.Kind.REVOKED).increment();
            assertSame(first, meters.of(1, "First"), "met once, kept");
            assertEquals(List.of(), registry.getMeters(), "nothing registered before binding");

            meters.bindTo(registry);

            assertEquals(Set.of("First", "Second", IntegrationMeters.OTHER), integrations(registry));
            assertEquals(21, registry.find(IntegrationMeters.NAME).meters().size(), "seven series for each of three");
            assertEquals(2.0, count(registry, "First", "none"));
            assertEquals(1.0, count(registry, "Second", "scope"));
            assertEquals(1.0, count(registry, IntegrationMeters.OTHER, "revoked"));
            assertEquals(0.0, count(registry, "First", "revoked"));
            assertEquals("1", registry.get(IntegrationMeters.NAME).tag("integration", "First").tag("reason", "none")
                    .functionCounter().getId().getTag("integration_id"));

            meters.of(4, "Fourth").counter(IntegrationMeters.Kind.ACCEPTED).increment();
            assertEquals(1.0, count(registry, IntegrationMeters.OTHER, "none"), "an integration met after binding, beyond the limit");
            assertEquals(21, registry.getMeters().size());

            meters.close();
            assertEquals(List.of(), registry.getMeters(), "close removes them all, those registered at binding too");
        }
    }
}
