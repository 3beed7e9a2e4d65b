package io.globalgate.store;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChangeEventTest {

    @Test
    void changeEventKindsHaveStableCodes() {
        for (ChangeEvent.Kind kind : ChangeEvent.Kind.values()) {
            assertEquals(kind, ChangeEvent.Kind.fromCode(kind.code()));
        }
        assertEquals("token.revoked", ChangeEvent.Kind.TOKEN_REVOKED.code());
        assertEquals("unknown change event kind token.deleted",
                assertThrows(IllegalArgumentException.class, () -> ChangeEvent.Kind.fromCode("token.deleted")).getMessage());
    }
}
