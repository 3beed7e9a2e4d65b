package io.globalgate.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ChangeEventTest {

    @Test
    void changeEventKindsHaveStableCodes() {
        for (ChangeEvent.Kind kind : ChangeEvent.Kind.values()) {
            assertEquals(kind, ChangeEvent.Kind.fromCode(kind.code()));
        }
        assertEquals("token.revoked", ChangeEvent.Kind.TOKEN_REVOKED.code());
        assertEquals(ChangeEvent.Kind.OTHER, ChangeEvent.Kind.fromCode("token.deleted"), "a newer version's kind");
    }
}
