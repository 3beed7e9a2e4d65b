package io.globalgate.token;

import io.globalgate.token.TokenFormat.Problem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class TokenFormatTest {

    /** The contract's regex, spelled out here rather than taken from the class under test. */
    private static final Pattern CONTRACT_PATTERN = Pattern.compile("^gat_[0-9A-Za-z]{38}$");
    private static final String ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    // Computed outside Java (Python's zlib.crc32 and a base62 loop), so the encoding is pinned down
    // by an implementation that shares no code with TokenFormat.
    private static final String KNOWN_TOKEN = "gat_abcdefghijklmnopqrstuvwxyz0123451nc0VA";
    private static final String KNOWN_TOKEN_WITH_PADDED_CHECKSUM = "gat_0000000000000000000000000000017200YwDE";

    @Test
    void generatedTokensMatchTheContractPattern() {
        for (int i = 0; i < 100; i++) {
            String token = TokenFormat.generate();
            assertTrue(CONTRACT_PATTERN.matcher(token).matches(), token);
            assertEquals(42, token.length());
        }
        assertEquals(CONTRACT_PATTERN.pattern(), TokenFormat.PATTERN);
        assertEquals(42, TokenFormat.LENGTH);
    }

    @Test
    void aGeneratedTokenChecksAsValid() {
        String token = TokenFormat.generate();
        assertNull(TokenFormat.problemOf(token));
        assertTrue(TokenFormat.isValid(token));
    }

    @Test
    void tenThousandGeneratedTokensAreDistinctWellFormedTokens() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String token = TokenFormat.generate();
            assertNull(TokenFormat.problemOf(token), token);
            assertTrue(CONTRACT_PATTERN.matcher(token).matches(), token);
            seen.add(token);
        }
        assertEquals(10_000, seen.size());
    }

    @Test
    void everyCharacterOfTheAlphabetIsEquallyLikelyInTheRandomPart() {
        int[] counts = new int[128];
        int tokens = 10_000;
        for (int i = 0; i < tokens; i++) {
            String random = TokenFormat.generate().substring(4, 36);
            for (int j = 0; j < random.length(); j++) {
                counts[random.charAt(j)]++;
            }
        }
        // 320 000 characters over 62 symbols: about 5161 each, standard deviation about 71. A
        // modulo bias (two symbols twice as likely) or a missing symbol lands far outside this.
        double expected = tokens * 32 / 62.0;
        for (char c : ALPHABET.toCharArray()) {
            assertTrue(Math.abs(counts[c] - expected) < 800, "'" + c + "' appeared " + counts[c] + " times, expected about " + (int) expected);
        }
    }

    @Test
    void theChecksumIsBase62OfTheCrc32OfTheRandomPartMostSignificantDigitFirstPaddedWithZeros() {
        for (int i = 0; i < 2_000; i++) {
            String token = TokenFormat.generate();
            String random = token.substring(4, 36);
            assertEquals(independentChecksum(random), token.substring(36), token);
        }
    }

    @Test
    void aTokenBuiltByAnIndependentImplementationIsValid() {
        assertNull(TokenFormat.problemOf(KNOWN_TOKEN));
        assertEquals(KNOWN_TOKEN, "gat_abcdefghijklmnopqrstuvwxyz012345" + independentChecksum("abcdefghijklmnopqrstuvwxyz012345"));
    }

    @Test
    void aSmallChecksumIsLeftPaddedWithZeros() {
        String random = "00000000000000000000000000000172";
        assertEquals("00YwDE", independentChecksum(random));
        assertNull(TokenFormat.problemOf(KNOWN_TOKEN_WITH_PADDED_CHECKSUM));
        // Without the padding, or with the digits least significant first, it is not a token.
        assertEquals(Problem.WRONG_LENGTH, TokenFormat.problemOf("gat_" + random + "YwDE"));
        assertEquals(Problem.BAD_CHECKSUM, TokenFormat.problemOf("gat_" + random + "EDwY00"));
    }

    @Test
    void changingAnyOneCharacterAfterThePrefixToAnotherAlphabetCharacterFailsTheChecksum() {
        for (int n = 0; n < 20; n++) {
            String token = n == 0 ? KNOWN_TOKEN : n == 1 ? KNOWN_TOKEN_WITH_PADDED_CHECKSUM : TokenFormat.generate();
            for (int position = 4; position < 42; position++) {
                for (char replacement : ALPHABET.toCharArray()) {
                    if (replacement == token.charAt(position)) {
                        continue;
                    }
                    String mutated = replaceAt(token, position, replacement);
                    assertEquals(Problem.BAD_CHECKSUM, TokenFormat.problemOf(mutated),
                            "'" + replacement + "' at position " + position + " of " + token);
                }
            }
        }
    }

    @Test
    void changingAnyOneCharacterAfterThePrefixToACharacterOutsideTheAlphabetIsABadCharacter() {
        String token = TokenFormat.generate();
        char[] outsiders = {'-', '_', '+', '/', '=', ' ', '.', '\0', '\n', '\u007F', '\u00E9', '\u0410', '\uFF10', '\u0663'};
        for (int position = 4; position < 42; position++) {
            for (char replacement : outsiders) {
                assertEquals(Problem.BAD_CHARACTER, TokenFormat.problemOf(replaceAt(token, position, replacement)),
                        "U+" + Integer.toHexString(replacement) + " at position " + position);
            }
        }
    }

    @Test
    void aNonAsciiCharacterWhoseLowByteIsTheOriginalCharacterIsStillRefused() {
        // CRC32.update(int) only uses the low 8 bits: 'Ł' (U+0141) would checksum exactly like 'A'
        // (0x41) if the alphabet were not checked first.
        String token = TokenFormat.generate();
        for (int position = 4; position < 42; position++) {
            char lookalike = (char) (0x100 | token.charAt(position));
            assertEquals(Problem.BAD_CHARACTER, TokenFormat.problemOf(replaceAt(token, position, lookalike)), "position " + position);
        }
    }

    @Test
    void cyrillicLettersFullWidthDigitsAndEmojiAreRefused() {
        String token = KNOWN_TOKEN; // gat_abcdefghijklmnopqrstuvwxyz0123451nc0VA
        assertEquals(Problem.BAD_CHARACTER, TokenFormat.problemOf(replaceAt(token, 4, '\u0430')), "Cyrillic a");
        assertEquals(Problem.BAD_CHARACTER, TokenFormat.problemOf(token.replace('V', '\u0412').replace("A", "\u0410")), "Cyrillic VA");
        assertEquals(Problem.BAD_CHARACTER, TokenFormat.problemOf(token.replace('0', '\uFF10')), "full-width 0");
        assertEquals(Problem.BAD_CHARACTER, TokenFormat.problemOf(token.replace('1', '\u0661')), "Arabic-Indic 1");
        // An emoji is two UTF-16 units: in place of one character it makes the token too long ...
        assertEquals(Problem.WRONG_LENGTH, TokenFormat.problemOf(token.substring(0, 10) + "\uD83D\uDE80" + token.substring(11)));
        // ... and in place of two it keeps the length but is still no base62 character.
        assertEquals(Problem.BAD_CHARACTER, TokenFormat.problemOf(token.substring(0, 10) + "\uD83D\uDE80" + token.substring(12)));
        // A Cyrillic "а" in the prefix is a wrong prefix, not a near miss.
        assertEquals(Problem.WRONG_PREFIX, TokenFormat.problemOf("g\u0430t_" + token.substring(4)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Gat_", "GAT_", "gat-", "gbt_", "ghp_", "xat_", "gat ", "_gat"})
    void aTokenOfTheRightLengthWithAnotherPrefixIsAWrongPrefix(String prefix) {
        String token = prefix + KNOWN_TOKEN.substring(4);
        assertEquals(Problem.WRONG_PREFIX, TokenFormat.problemOf(token));
        assertEquals("token does not start with gat_", TokenFormat.problemOf(token).message());
    }

    @Test
    void aStringOfAnotherLengthIsAWrongLength() {
        String token = TokenFormat.generate();
        for (String candidate : new String[]{"", "g", "gat", "gat_", token.substring(0, 41), token + "0", token + token,
                token.substring(0, 36)}) {
            assertEquals(Problem.WRONG_LENGTH, TokenFormat.problemOf(candidate), "'" + candidate + "'");
        }
        assertEquals("token is not 42 characters long", Problem.WRONG_LENGTH.message());
    }

    @Test
    void aStringOfAnotherLengthWithAnotherPrefixIsReportedAsAWrongPrefix() {
        // e.g. a whole header value pasted as the token
        assertEquals(Problem.WRONG_PREFIX, TokenFormat.problemOf("Bearer " + TokenFormat.generate()));
        assertEquals(Problem.WRONG_PREFIX, TokenFormat.problemOf("ghp_16C7e42F292c6912E7710c838347Ae178B4a"));
    }

    @Test
    void sixBitValuesOutsideTheAlphabetAreSkippedNotWrappedOrCut() {
        // 62 and 63 have no character: skipped; 61 is 'z' and 0 is '0'; only the low six bits count
        byte[] bytes = {62, 63, 61, (byte) 0xC0, 62, 1, (byte) 0xFF};
        java.security.SecureRandom scripted = new java.security.SecureRandom() {
            @Override
            public void nextBytes(byte[] buffer) {
                for (int i = 0; i < buffer.length; i++) {
                    buffer[i] = bytes[i % bytes.length];
                }
            }
        };

        String token = TokenFormat.generate(scripted);

        // each round of seven bytes gives z, 0, 1: 32 characters from eleven rounds
        assertEquals("z01".repeat(11).substring(0, 32), token.substring(4, 36));
        assertNull(TokenFormat.problemOf(token));
    }

    @Test
    void theFirstCharacterBeyondAsciiIsABadCharacterNotAnError() {
        String token = TokenFormat.generate();
        assertEquals(Problem.BAD_CHARACTER, TokenFormat.problemOf(replaceAt(token, 4, '\u0080')));
        assertEquals(Problem.BAD_CHARACTER, TokenFormat.problemOf(replaceAt(token, 41, '\u0080')), "in the checksum");
        assertEquals(Problem.BAD_CHARACTER, TokenFormat.problemOf(replaceAt(token, 4, '\u007F')));
        assertEquals(-1, TokenFormat.digit('\u0080'));
        assertEquals(-1, TokenFormat.digit('\u007F'));
    }

    @Test
    void aStringAsLongAsThePrefixIsJudgedByItsPrefix() {
        assertEquals(Problem.WRONG_PREFIX, TokenFormat.problemOf("ghp_"));
        assertEquals(Problem.WRONG_LENGTH, TokenFormat.problemOf("gat_"));
        assertEquals(Problem.WRONG_LENGTH, TokenFormat.problemOf("gh_"), "shorter than the prefix: its length is what is wrong");
        assertFalse(TokenFormat.isValid("ghp_"));
        assertFalse(TokenFormat.isValid(KNOWN_TOKEN.substring(0, 41) + (KNOWN_TOKEN.charAt(41) == 'a' ? 'b' : 'a')));
    }

    @Test
    void theProblemsCarryTheirMessages() {
        assertEquals("token contains a character outside 0-9A-Za-z", Problem.BAD_CHARACTER.message());
        assertEquals("token checksum does not match", Problem.BAD_CHECKSUM.message());
    }

    @Test
    void theHintIsThePrefixAnEllipsisAndTheLastFourCharacters() {
        String token = TokenFormat.generate();
        String hint = TokenFormat.hint(token);
        assertEquals("gat_\u2026" + token.substring(38), hint);
        assertEquals(9, hint.length());
        assertEquals("gat_\u2026c0VA", TokenFormat.hint(KNOWN_TOKEN));
        assertFalse(hint.contains(token.substring(4, 36)));
    }

    private static String replaceAt(String s, int index, char c) {
        return s.substring(0, index) + c + s.substring(index + 1);
    }

    private static String independentChecksum(String random) {
        CRC32 crc = new CRC32();
        crc.update(random.getBytes(StandardCharsets.US_ASCII));
        BigInteger value = BigInteger.valueOf(crc.getValue());
        BigInteger base = BigInteger.valueOf(62);
        StringBuilder digits = new StringBuilder();
        while (value.signum() > 0) {
            BigInteger[] qr = value.divideAndRemainder(base);
            digits.insert(0, ALPHABET.charAt(qr[1].intValue()));
            value = qr[0];
        }
        while (digits.length() < 6) {
            digits.insert(0, '0');
        }
        if (digits.length() != 6) {
            fail("CRC32 never needs more than 6 base62 digits: " + digits);
        }
        return digits.toString();
    }
}
