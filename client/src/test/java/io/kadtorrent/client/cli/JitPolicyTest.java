package io.kadtorrent.client.cli;

import org.junit.jupiter.api.Test;

import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JitPolicyTest {

    @Test
    void appliesToDownloadsAndTheDaemonsRestore() {
        assertTrue(JitPolicy.appliesTo("get"));
        assertTrue(JitPolicy.appliesTo("daemon"));
        for (String other : new String[]{"seed", "create", "info", "dht-node", "metadata-server", "publish", "help"}) {
            assertFalse(JitPolicy.appliesTo(other), other);
        }
    }

    @Test
    void thisJvmTakesTheDirectivesAndListsThem() throws Exception {
        try {
            assertTrue(JitPolicy.apply(), "the JVM accepted the directives");
            String listed = diagnostic("compilerDirectivesPrint");
            assertTrue(listed.contains("sun/security/provider"), listed);
        } finally {
            diagnostic("compilerDirectivesClear"); // the test JVM goes back to its default compilation
        }
    }

    @Test
    void liftingRemovesTheDirectives() throws Exception {
        try {
            assertTrue(JitPolicy.apply(), "the JVM accepted the directives");
            assertTrue(JitPolicy.lift(), "the JVM cleared them");
            String listed = diagnostic("compilerDirectivesPrint");
            assertFalse(listed.contains("sun/security/provider"), listed);
        } finally {
            diagnostic("compilerDirectivesClear");
        }
    }

    private static String diagnostic(String operation) throws Exception {
        return String.valueOf(ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), operation,
                new Object[]{new String[0]}, new String[]{String[].class.getName()}));
    }
}
