package io.ensync.keycloak.webhook;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * Where a webhook may go (SSRF guard). Loopback, link-local (cloud metadata), private, shared (CGNAT), unique-local,
 * multicast and unspecified addresses are refused unless the server allows private targets; plain {@code http} only
 * to loopback, and only then. Checked at creation (literal addresses and names that resolve) and again at every
 * delivery, on every address the name resolves to.
 */
final class TargetPolicy {

    static final int MAX_URL_LENGTH = 2048;

    private TargetPolicy() {
    }

    /** Parses and checks a URL given by an admin; answers 400 {@code invalid_webhook_url} or {@code webhook_target_blocked}. */
    static URI checkUrl(String url, boolean allowPrivate) {
        if (url == null || url.isBlank()) {
            throw ApiException.invalid("url", "url is required.");
        }
        if (url.length() > MAX_URL_LENGTH) {
            throw ApiException.invalid("url", "url is longer than " + MAX_URL_LENGTH + " characters.");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw ApiException.invalid("url", "url is not a valid URL.");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null
                || !(scheme.equals("https") || scheme.equals("http"))) {
            throw ApiException.invalid("url", "url must be an absolute https:// URL without user info or fragment.");
        }
        String host = host(uri);
        InetAddress literal = literal(host);
        boolean loopbackName = host.equals("localhost") || host.endsWith(".localhost");
        boolean loopback = loopbackName || (literal != null && literal.isLoopbackAddress());
        if (!allowPrivate && (loopbackName || (literal != null && isBlocked(literal)))) {
            throw blocked();
        }
        if (scheme.equals("http") && !(allowPrivate && loopback)) {
            throw ApiException.invalid("url", "url must use https:// (plain http only to loopback where private targets are allowed).");
        }
        if (!allowPrivate && literal == null) {
            // A name that resolves now must not resolve to a refused address; one that does not resolve yet is
            // checked at delivery.
            try {
                for (InetAddress address : InetAddress.getAllByName(host)) {
                    if (isBlocked(address)) {
                        throw blocked();
                    }
                }
            } catch (UnknownHostException e) {
                // checked again at delivery
            }
        }
        return uri;
    }

    /** At delivery: every address of the host must be allowed; answers the reason it is not, or null. */
    static String refusal(URI uri, boolean allowPrivate) {
        if (allowPrivate) {
            return null;
        }
        try {
            for (InetAddress address : InetAddress.getAllByName(host(uri))) {
                if (isBlocked(address)) {
                    return "target address not allowed: " + address.getHostAddress();
                }
            }
            return null;
        } catch (UnknownHostException e) {
            return "unknown host";
        }
    }

    /** The pure address rule. */
    static boolean isBlocked(InetAddress address) {
        if (address.isLoopbackAddress() || address.isLinkLocalAddress() || address.isSiteLocalAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return true;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 // this network
                    || (first == 100 && second >= 64 && second <= 127) // shared address space (CGNAT)
                    || (first == 192 && second == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (first == 198 && (second == 18 || second == 19)) // benchmarking
                    || first >= 240; // reserved and broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            boolean v4Embedded = true; // ::a.b.c.d (IPv4-compatible) and ::ffff:a.b.c.d (mapped)
            for (int i = 0; i < 10; i++) {
                v4Embedded &= b[i] == 0;
            }
            boolean mapped = v4Embedded && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
            boolean compatible = v4Embedded && b[10] == 0 && b[11] == 0;
            if (mapped || compatible) {
                try {
                    return isBlocked(InetAddress.getByAddress(new byte[] {b[12], b[13], b[14], b[15]}));
                } catch (UnknownHostException e) {
                    return true;
                }
            }
            // NAT64 64:ff9b::/96 can reach any IPv4 address, private ones too.
            return first == 0x00 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        }
        return true;
    }

    private static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    /** The address of an IP literal host, null for a name (no look-up). */
    private static InetAddress literal(String host) {
        boolean v4 = host.matches("[0-9.]+");
        boolean v6 = host.contains(":");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw ApiException.invalid("url", "url has an invalid address.");
        }
    }

    private static ApiException blocked() {
        return ApiException.of(ErrorCode.WEBHOOK_TARGET_BLOCKED, "Webhooks to loopback, link-local or private addresses are not allowed on this server.", "url");
    }
}
