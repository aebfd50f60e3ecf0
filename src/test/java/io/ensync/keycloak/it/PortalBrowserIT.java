package io.ensync.keycloak.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.ensync.keycloak.it.support.BrowserScript;
import io.ensync.keycloak.it.support.Ensync;
import io.ensync.keycloak.it.support.KeycloakApi;
import io.ensync.keycloak.it.support.KeycloakExtension;
import io.ensync.keycloak.it.support.KeycloakServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The portal in real headless Chromium: src/test/browser/portal.test.mjs (playwright-core, Debian's chromium) drives
 * onboarding, copy, rotation, keys instead of the secret, history, the events page, escaping and embedding. Two tiny framing servers give two origins: the
 * integration allows http://127.0.0.1:{port} (same site as the Keycloak under test, so its Lax cookies flow on plain
 * http), and http://127.0.0.2:{port} is refused. .ci/run installs chromium and the npm packages.
 */
@ExtendWith(KeycloakExtension.class)
class PortalBrowserIT {

    @Test
    void thePortalWorksInARealBrowser(KeycloakServer server) throws Exception {
        HttpServer allowed = framingServer("127.0.0.1");
        HttpServer denied = framingServer("127.0.0.2");
        try {
            String allowedOrigin = "http://127.0.0.1:" + allowed.getAddress().getPort();
            String deniedOrigin = "http://127.0.0.2:" + denied.getAddress().getPort();
            String realm = KeycloakApi.createRealm();
            String integrationName = "Orders";
            String key = Ensync.createIntegration(realm, Map.of("name", integrationName,
                    "allowedEmbedOrigins", List.of(allowedOrigin), "secretPolicy", Map.of("maxAgeDays", Map.of("prod", 5)),
                    "topics", List.of(
                            Map.of("pattern", "app/order/*", "send", true, "receive", true, "autoApprove", List.of("dev")),
                            Map.of("pattern", "app/payment/*", "send", true, "autoApprove", List.of())))).path("key").asText();

            Map<String, Object> config = new LinkedHashMap<>();
            config.put("base", server.baseUrl());
            config.put("realm", realm);
            config.put("integrationName", integrationName);
            config.put("onboardUrl", partnerUrl(realm, key, Map.of("appName", "Acme Orders",
                    "appDescription", "Order sync for Acme's shops", "metadata", Map.of("color", "#0b7a75"))));
            config.put("eventsUrl", partnerUrl(realm, key, Map.of("appName", "Acme Orders", "metadata", Map.of("color", "#0b7a75"))));
            config.put("xssUrl", partnerUrl(realm, key, Map.of("appName", "<img src=x onerror=alert(1)>",
                    "metadata", Map.of("owner", "<img src=x onerror=alert(1)>"))));
            config.put("allowedFrameUrl", allowedOrigin + "/frame?src=" + encode(partnerUrl(realm, key, Map.of("appName", "Framed"))));
            config.put("deniedFrameUrl", deniedOrigin + "/frame?src=" + encode(partnerUrl(realm, key, Map.of("appName", "Elsewhere"))));
            config.put("screenshotDir", BrowserScript.screenshotDir());

            JsonNode result = BrowserScript.run("portal.test.mjs", "ENSYNC_PORTAL_TEST", config, "portal-browser-" + server.db());
            assertEquals(3 + 2 + 1 + 3 + 3 + 3, result.path("secrets").size(), "secrets the pages showed");
        } finally {
            allowed.stop(0);
            denied.stop(0);
        }
    }

    private static String partnerUrl(String realm, String key, Map<String, Object> body) {
        return Ensync.createPartner(realm, key, body).expect(201).data().path("url").asText();
    }

    /** An integrator's page that frames the URL given in {@code ?src=}. */
    private static HttpServer framingServer(String address) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, 0), 0);
        server.createContext("/frame", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String src = query == null || !query.startsWith("src=") ? "" : URLDecoder.decode(query.substring(4), StandardCharsets.UTF_8);
            String html = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Integrator app</title></head><body>"
                    + "<h1>Integrator app</h1><iframe id=\"portal\" title=\"Partner portal\" width=\"420\" height=\"760\" src=\""
                    + src.replace("&", "&amp;").replace("\"", "&quot;").replace("<", "&lt;") + "\"></iframe></body></html>";
            byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream body = exchange.getResponseBody()) {
                body.write(bytes);
            }
        });
        server.start();
        return server;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
