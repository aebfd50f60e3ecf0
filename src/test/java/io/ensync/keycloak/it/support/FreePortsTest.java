package io.ensync.keycloak.it.support;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The ports of the servers the tests start: the given one, else one that is free. */
class FreePortsTest {

    @Test
    void aGivenPortIsKept() {
        System.setProperty("ensync.test.freePortsGiven", "18080");
        try {
            assertEquals(18080, FreePorts.orFree("ensync.test.freePortsGiven"));
        } finally {
            System.clearProperty("ensync.test.freePortsGiven");
        }
    }

    @Test
    void withoutOneAFreePortIsChosenEvenBesideARunningServer() throws IOException {
        try (ServerSocket running = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = FreePorts.orFree("ensync.test.freePortsAbsent");
            assertNotEquals(running.getLocalPort(), port);
            try (ServerSocket mine = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                assertEquals(port, mine.getLocalPort());
            }
        }
    }
}
