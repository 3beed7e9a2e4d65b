package io.globalgate.filter;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * What the refusals' texts may carry: the challenge's error_description only what RFC 6750 §3
 * allows, the JSON body every character escaped that JSON or an HTML page reading it needs.
 * (The refusals as a client receives them are the contract suite's: JettyFilterTest, TomcatFilterTest.)
 */
class AuthErrorWriterTest {

    @Test
    void anErrorDescriptionKeepsExactlyTheCharactersRfc6750Allows() {
        // %x20-21 / %x23-5B / %x5D-7E, the bounds included
        assertEquals(" !#[]~AZaz09", AuthErrorWriter.headerSafe(" !#[]~AZaz09"));
        // below, between and above them: a quote, a backslash, DEL, controls, anything beyond ASCII
        assertEquals("a?b?c?d?e?f?g?", AuthErrorWriter.headerSafe("a\"b\\c\u007Fd\u001Fe\nf\u00e9g\u2028"));
    }

    @Test
    void aJsonMessageEscapesQuotesBackslashesControlsAndWhatHtmlWouldRead() {
        assertEquals("\\\"\\\\\\n\\r\\t", AuthErrorWriter.jsonEscape("\"\\\n\r\t"));
        assertEquals("\\u0000\\u001f\\u003c\\u003e\\u0026\\u2028\\u2029", AuthErrorWriter.jsonEscape("\u0000\u001f<>&\u2028\u2029"));
        // the first character that needs nothing, the last of ASCII, and beyond it
        assertEquals(" ~\u007F\u00e9\u4e2d", AuthErrorWriter.jsonEscape(" ~\u007F\u00e9\u4e2d"));
    }

    @Test
    void theBodyForAWriterAlreadyTakenIsAsciiWithEveryOtherCharacterEscaped() {
        // '~' is the last character kept; DEL, Latin-1, CJK and a surrogate pair (two escapes) are escaped
        assertEquals("{\"m\":\" ~\\u007f\\u00e9\\u4e2d\\ud83d\\ude00\"}",
                AuthErrorWriter.asciiOnly("{\"m\":\" ~\u007F\u00e9\u4e2d\uD83D\uDE00\"}"));
        assertEquals("", AuthErrorWriter.asciiOnly(""));
    }
}
