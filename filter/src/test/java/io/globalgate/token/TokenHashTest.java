package io.globalgate.token;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenHashTest {

    @Test
    void theHashIsTheSha256OfTheWholeTokenString() throws Exception {
        for (int i = 0; i < 100; i++) {
            String token = TokenFormat.generate();
            byte[] expected = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
            TokenHash hash = TokenHash.of(token);
            assertEquals(HexFormat.of().formatHex(expected), hash.toHex());
            assertArrayEquals(expected, hash.toBytes());
        }
    }

    @Test
    void theHashMatchesPublishedAndIndependentlyComputedValues() {
        // FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", TokenHash.of("abc").toHex());
        // Python's hashlib.sha256 of the token string
        assertEquals("bfb133d41ca9b265526fd61f0576c9083e0b1752ac35785ad1f0a3ec990d2c6c",
                TokenHash.of("gat_abcdefghijklmnopqrstuvwxyz0123451nc0VA").toHex());
    }

    @Test
    void hashesOfTheSameTokenAreEqualObjects() {
        String token = TokenFormat.generate();
        TokenHash a = TokenHash.of(token);
        TokenHash b = TokenHash.of(new String(token.toCharArray()));
        TokenHash c = TokenHash.fromBytes(a.toBytes());
        assertEquals(a, b);
        assertEquals(a, c);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(a.hashCode(), c.hashCode());
    }

    @Test
    void hashesOfDifferentTokensDiffer() {
        TokenHash a = TokenHash.of(TokenFormat.generate());
        TokenHash b = TokenHash.of(TokenFormat.generate());
        assertNotEquals(a, b);
        assertNotEquals(a, null);
        assertNotEquals(a, (Object) a.toHex());
    }

    @Test
    void theBytesGoingInAndComingOutAreCopies() {
        TokenHash hash = TokenHash.of(TokenFormat.generate());
        String hex = hash.toHex();
        hash.toBytes()[0] ^= 1;
        assertEquals(hex, hash.toHex());

        byte[] raw = hash.toBytes();
        TokenHash copy = TokenHash.fromBytes(raw);
        raw[0] ^= 1;
        assertEquals(hash, copy);
    }

    @Test
    void fromBytesRefusesAnythingButThirtyTwoBytes() {
        for (byte[] bytes : new byte[][]{null, new byte[0], new byte[31], new byte[33]}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TokenHash.fromBytes(bytes));
            assertEquals("a token hash is 32 bytes", e.getMessage());
        }
    }

    @Test
    void toStringShowsNeitherTheTokenNorTheWholeHash() {
        String token = TokenFormat.generate();
        TokenHash hash = TokenHash.of(token);
        String text = hash.toString();
        assertFalse(text.contains(hash.toHex()), text);
        assertFalse(text.contains(token), text);
        assertFalse(text.contains(token.substring(4, 36)), text);
        assertTrue(text.startsWith("TokenHash[" + hash.toHex().substring(0, 8)), text);
    }

    /**
     * The hash code is the digest's first 32 bits, as spread as SHA-256 output: it is all that
     * tells the entries of the verifier's caches apart (their bins, and the frequency sketch that
     * decides which entry a full cache keeps), and a flood of forged tokens fills the cache of
     * unknown ones with as many as it holds. Among 100,000 distinct tokens a uniform 32-bit code
     * is shared by about one pair (n² / 2³³); one that lost a byte of the digest by about 300, two
     * bytes by tens of thousands.
     */
    @Test
    void hashCodesOfDistinctTokensAreAsSpreadAsThirtyTwoBitsOfTheDigest() {
        int tokens = 100_000;
        Set<Integer> codes = new HashSet<>();
        for (int i = 0; i < tokens; i++) {
            codes.add(TokenHash.of("gat_spread_" + i).hashCode());
        }
        int shared = tokens - codes.size();
        assertTrue(shared <= 10, shared + " of " + tokens + " tokens share a hash code with another");
    }
}
