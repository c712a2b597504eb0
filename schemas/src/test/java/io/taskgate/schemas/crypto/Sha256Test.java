package io.taskgate.schemas.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Sha256Test {
    @Test
    void shouldGiveTheKnownDigestOfAbc() {
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Sha256.hex("abc"));
    }

    @Test
    void shouldGiveTheKnownDigestOfNothing() {
        assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Sha256.hex(new byte[0]));
    }

    @Test
    void shouldDigestPartsAsIfConcatenated() {
        byte[] whole = Sha256.digest("abc".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(whole, Sha256.digest("a".getBytes(StandardCharsets.UTF_8), "bc".getBytes(StandardCharsets.UTF_8)));
        assertArrayEquals(whole, Sha256.digest("abc"));
    }
}
