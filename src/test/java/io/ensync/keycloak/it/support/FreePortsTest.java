package io.ensync.keycloak.it.support;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aClusterNodesPortHasItsFailureDetectionNeighbourFreeAndInRange() {
        for (int i = 0; i < 20; i++) {
            int port = FreePorts.freeWithNeighbour(100);
            assertTrue(port + 100 <= 65_535, "port " + port);
            assertTrue(FreePorts.isFree(port) && FreePorts.isFree(port + 100), "port " + port);
        }
    }

    @Test
    void aPortInUseIsNotFree() throws IOException {
        try (ServerSocket running = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertFalse(FreePorts.isFree(running.getLocalPort()));
        }
    }
}
