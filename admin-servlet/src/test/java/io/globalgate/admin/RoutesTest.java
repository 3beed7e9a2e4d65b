package io.globalgate.admin;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The admin's route table: method and path to one endpoint, or a 405 that names the methods, or nothing. */
class RoutesTest {

    private final Routes.Endpoint list = call -> { };
    private final Routes.Endpoint create = call -> { };
    private final Routes.Endpoint show = call -> { };
    private final Routes routes = new Routes();

    RoutesTest() {
        routes.path("/integrations").on("GET", list).on("POST", create);
        routes.path("/integrations/{id}").on("GET", show);
    }

    @Test
    void aMethodAndPathLeadToTheirEndpointWithTheIdOfThePath() {
        Routes.Found found = assertInstanceOf(Routes.Found.class, routes.match("GET", "/integrations/42"));
        assertSame(show, found.endpoint());
        assertEquals(42, found.id());
        assertSame(create, assertInstanceOf(Routes.Found.class, routes.match("POST", "/integrations")).endpoint());
    }

    @Test
    void aKnownPathWithAnotherMethodNamesTheAllowedOnesInTheOrderTheyWereRouted() {
        assertEquals(List.of("GET", "POST"), assertInstanceOf(Routes.WrongMethod.class, routes.match("DELETE", "/integrations")).allowed());
    }

    @Test
    void anIdOfNineteenDigitsOrNoDigitsIsNoPathOfOurs() {
        assertInstanceOf(Routes.NotFound.class, routes.match("GET", "/integrations/" + "9".repeat(19)));
        assertInstanceOf(Routes.NotFound.class, routes.match("GET", "/integrations/-1"));
        assertInstanceOf(Routes.NotFound.class, routes.match("GET", "/integrations/1/"));
    }

    @Test
    void aPatternIsLiteralApartFromItsId() {
        Routes dotted = new Routes();
        dotted.path("/a.b").on("GET", list);
        assertInstanceOf(Routes.NotFound.class, dotted.match("GET", "/axb"));
        assertInstanceOf(Routes.Found.class, dotted.match("GET", "/a.b"));
    }

    @Test
    void oneMethodRoutedTwiceOnAPathIsAMistakeCaughtAtOnce() {
        assertThrows(IllegalStateException.class, () -> new Routes().path("/x").on("GET", list).on("GET", show));
    }
}
