package io.ensync.keycloak.it.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Ports for the servers the tests start: the one a system property names (-Densync.it.httpPort=…, for a checkout that
 * wants its ports known), else one the system has free right now on 127.0.0.1, so that a server already listening on
 * a usual port (another checkout's Keycloak, a forgotten one) cannot break a run.
 */
public final class FreePorts {

    private FreePorts() {
    }

    /** The port the property names, else a free one. */
    public static int orFree(String property) {
        Integer given = Integer.getInteger(property);
        return given != null ? given : free();
    }

    /**
     * A free port whose neighbour {@code offset} above is free too (and a port at all): JGroups' failure detection
     * (FD_SOCK2) listens at the bind port plus 100, so a cluster node needs both.
     */
    public static int freeWithNeighbour(int offset) {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = free();
            if (port + offset <= 65_535 && isFree(port + offset)) {
                return port;
            }
        }
        throw new IllegalStateException("no free pair of ports " + offset + " apart on 127.0.0.1");
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A port nothing listens on now (the system's choice for a socket bound to port 0, then closed). */
    public static int free() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port on 127.0.0.1", e);
        }
    }
}
