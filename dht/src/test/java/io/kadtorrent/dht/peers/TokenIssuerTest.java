package io.kadtorrent.dht.peers;

import io.kadtorrent.dht.krpc.Token;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenIssuerTest {

    @Test
    void tokenIsBoundToIpAndSurvivesOneRotationOnly() throws Exception {
        InetAddress a = InetAddress.getByName("127.0.0.1");
        InetAddress b = InetAddress.getByName("127.0.0.2");
        TokenIssuer issuer = new TokenIssuer(new SplittableRandom(3), 0);
        Token t = issuer.issue(a);
        assertTrue(issuer.isValid(t, a));
        assertFalse(issuer.isValid(t, b));
        issuer.rotateIfDue(TokenIssuer.ROTATE_EVERY_MILLIS - 1);
        assertTrue(issuer.isValid(t, a));
        issuer.rotateIfDue(TokenIssuer.ROTATE_EVERY_MILLIS);
        assertTrue(issuer.isValid(t, a), "previous secret still accepted");
        issuer.rotateIfDue(2 * TokenIssuer.ROTATE_EVERY_MILLIS);
        assertFalse(issuer.isValid(t, a), "two rotations later the token is stale");
    }
}
