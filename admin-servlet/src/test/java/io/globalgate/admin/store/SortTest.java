package io.globalgate.admin.store;

import io.globalgate.validation.ValidationException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SortTest {

    @Test
    void aKeyOfTheAllowlistSortsAscendingAndWithAMinusDescending() {
        assertEquals(new Sort("name", false), Sort.parse("name", Sort.TOKEN_KEYS, Sort.TOKEN_DEFAULT));
        assertEquals(new Sort("lastUsed", true), Sort.parse(" -lastUsed ", Sort.TOKEN_KEYS, Sort.TOKEN_DEFAULT));
        assertEquals("-lastUsed", Sort.parse("-lastUsed", Sort.TOKEN_KEYS, Sort.TOKEN_DEFAULT).code());
    }

    @Test
    void noSortOrABlankOneIsTheGridsDefault() {
        assertEquals(Sort.TOKEN_DEFAULT, Sort.parse(null, Sort.TOKEN_KEYS, Sort.TOKEN_DEFAULT));
        assertEquals(Sort.INTEGRATION_DEFAULT, Sort.parse(" ", Sort.INTEGRATION_KEYS, Sort.INTEGRATION_DEFAULT));
    }

    @Test
    void anythingElseIsRefusedNamingEveryValueAllowedWithoutEchoingIt() {
        for (String bad : List.of("expires", "NAME", "-", "--name", "+name", "name,created", "name;DROP TABLE access_token",
                "' OR 1=1--", "name\u0000", "x".repeat(100_000), "nаme" /* a Cyrillic a */)) {
            ValidationException e = assertThrows(ValidationException.class, () -> Sort.parse(bad, Sort.INTEGRATION_KEYS,
                    Sort.INTEGRATION_DEFAULT), bad.length() > 40 ? "a long one" : bad);
            assertEquals("sort", e.errors().get(0).key());
            assertEquals("must be one of name, -name, created, -created, active, -active", e.errors().get(0).message());
            assertTrue(e.getMessage().length() < 200, e.getMessage().length() + " characters");
        }
    }
}
