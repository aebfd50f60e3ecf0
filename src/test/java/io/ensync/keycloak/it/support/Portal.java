package io.ensync.keycloak.it.support;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The partner portal as a browser without JavaScript uses it: one cookie jar per person, pages read by their
 * {@code data-testid} markers. Every secret a page shows goes into the {@link SecretLedger}.
 */
public final class Portal {

    public static final String SESSION_COOKIE = "ENSYNC_PORTAL";
    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final Pattern SECRET = Pattern.compile("data-testid=\"(?:secret-[a-z]+|rotated-secret)\">([^<]+)<");

    private final Http http = Http.keycloakWithCookies();
    private final String realm;

    public Portal(String realm) {
        this.realm = realm;
    }

    public static String base(String realm) {
        return "/realms/" + realm + "/ensync/portal";
    }

    public Http http() {
        return http;
    }

    public Http.Response get(String pathOrUrl) {
        return recordCookies(http.request("GET", pathOrUrl.startsWith("http") ? pathOrUrl : base(realm) + pathOrUrl).send());
    }

    /** Session and start cookie values are bearer secrets too: they must not reach the log either. */
    private static Http.Response recordCookies(Http.Response response) {
        for (String cookie : response.headers().allValues("Set-Cookie")) {
            String value = cookie.substring(cookie.indexOf('=') + 1, cookie.indexOf(';'));
            if (!value.isEmpty()) {
                SecretLedger.record(value);
            }
        }
        return response;
    }

    public Http.Response post(String pathOrUrl, Map<String, String> form) {
        Http.Response response = http.request("POST", pathOrUrl.startsWith("http") ? pathOrUrl : base(realm) + pathOrUrl)
                .form(form).send();
        recordCookies(response);
        for (String secret : secrets(response.body())) {
            SecretLedger.record(secret);
        }
        return response;
    }

    /** Opens the link page and presses its button: answers the page after the start (credentials or a redirect). */
    public Http.Response start(String url) {
        Http.Response page = get(url).expect(200);
        return post(url, Map.of("csrf", csrf(page)));
    }

    /** Starts an onboarding link; answers the credentials page's secrets by environment. */
    public Map<String, String> onboard(String url) {
        Http.Response page = start(url).expect(200);
        Map<String, String> secrets = new java.util.LinkedHashMap<>();
        Matcher m = Pattern.compile("data-testid=\"secret-([a-z]+)\">([^<]+)<").matcher(page.body());
        while (m.find()) {
            secrets.put(m.group(1), m.group(2));
        }
        assertEquals(List.of("dev", "stage", "prod"), List.copyOf(secrets.keySet()), page.body());
        return secrets;
    }

    /** The portal session cookie's value this answer sets, for sending it by hand where a browser would not. */
    public static String sessionCookie(Http.Response response) {
        String prefix = SESSION_COOKIE + "=";
        String cookie = response.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith(prefix))
                .findFirst().orElseThrow(() -> new AssertionError("no session cookie in " + response.headers()));
        return cookie.substring(prefix.length(), cookie.indexOf(';'));
    }

    public static String csrf(Http.Response page) {
        Matcher m = CSRF.matcher(page.body());
        assertTrue(m.find(), () -> "no CSRF token in " + page);
        return m.group(1);
    }

    public static List<String> secrets(String html) {
        Matcher m = SECRET.matcher(html);
        List<String> found = new java.util.ArrayList<>();
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }

    /** The value shown in the element with this {@code data-testid}. */
    public static String text(Http.Response page, String testId) {
        Matcher m = Pattern.compile("data-testid=\"" + Pattern.quote(testId) + "\"[^>]*>([^<]*)<").matcher(page.body());
        assertTrue(m.find(), () -> "no " + testId + " in " + page);
        return m.group(1);
    }

    /**
     * Moves the partner's portal sessions back in time, straight in the database (PostgreSQL only: the embedded H2
     * file is locked by the server), so that idle and absolute expiry can be tested without waiting hours.
     */
    public static void ageSessions(String partnerId, long lastSeenMillisAgo, long expiresMillisAgo) throws java.sql.SQLException {
        if (!KeycloakServer.get().db().equals("postgres")) {
            throw new IllegalStateException("ageSessions needs the PostgreSQL pass");
        }
        long now = System.currentTimeMillis();
        try (java.sql.Connection c = java.sql.DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/"
                + KeycloakServer.PG_DATABASE, KeycloakServer.PG_USER, KeycloakServer.PG_PASSWORD);
             java.sql.PreparedStatement update = c.prepareStatement(
                     "UPDATE ENSYNC_PORTAL_SESSION SET LAST_SEEN_AT = ?, EXPIRES_AT = ? WHERE PARTNER_ID = ?")) {
            update.setLong(1, now - lastSeenMillisAgo);
            update.setLong(2, now - expiresMillisAgo);
            update.setString(3, partnerId);
            assertEquals(1, update.executeUpdate(), "one session of partner " + partnerId);
        }
    }

    public static String messageTitle(Http.Response page) {
        return text(page, "message-title");
    }
}
