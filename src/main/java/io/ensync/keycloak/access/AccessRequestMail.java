package io.ensync.keycloak.access;

import io.ensync.keycloak.common.ApiException;
import io.ensync.keycloak.common.ErrorCode;
import io.ensync.keycloak.common.RealmMail;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailSenderProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.theme.FreeMarkerException;
import org.keycloak.theme.Theme;
import org.keycloak.theme.freemarker.FreeMarkerProvider;

import java.io.IOException;
import java.text.MessageFormat;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The mails of an access request, to its contact only: written with the portal theme's e-mail templates and message
 * bundles (theme {@code ensync-portal}, type email) in the requester's language, sent by Keycloak's e-mail sender with
 * the realm's SMTP settings. Sent inside the request's transaction: a mail that cannot be sent undoes the change
 * (503 {@code mail_unavailable}), so nobody is told of a change that did not happen.
 */
final class AccessRequestMail {

    private static final String THEME = "ensync-portal";

    private final KeycloakSession session;
    private final RealmModel realm;

    AccessRequestMail(KeycloakSession session, RealmModel realm) {
        this.session = session;
        this.realm = realm;
    }

    void verification(AccessRequestEntity request, String integrationName, String url) {
        send(request, "accessRequestVerify", integrationName, Map.of("url", url, "hours", AccessRequestService.VERIFICATION_TTL_MILLIS / 3_600_000));
    }

    void approved(AccessRequestEntity request, String integrationName, String url, long linkTtlSeconds) {
        send(request, "accessRequestApproved", integrationName, Map.of("url", url, "hours", Math.max(1, linkTtlSeconds / 3600)));
    }

    void denied(AccessRequestEntity request, String integrationName) {
        send(request, "accessRequestDenied", integrationName, request.getReason() == null ? Map.of() : Map.of("reason", request.getReason()));
    }

    private void send(AccessRequestEntity request, String template, String integrationName, Map<String, Object> values) {
        if (!RealmMail.configured(realm)) {
            throw unavailable();
        }
        Locale locale = Locale.forLanguageTag(request.getLocale());
        Theme theme;
        Properties messages;
        try {
            theme = session.theme().getTheme(THEME, Theme.Type.EMAIL);
            messages = theme.getEnhancedMessages(realm, locale);
        } catch (IOException e) {
            throw new IllegalStateException("The e-mail theme " + THEME + " cannot be loaded", e);
        }
        Map<String, Object> data = new HashMap<>(values);
        Map<String, String> msg = new HashMap<>();
        messages.forEach((k, v) -> msg.put(String.valueOf(k), String.valueOf(v)));
        data.put("msg", msg);
        data.put("lang", locale.toLanguageTag());
        data.put("integrationName", integrationName);
        data.put("appName", request.getAppName());
        data.put("realmName", realm.getDisplayName() == null || realm.getDisplayName().isBlank() ? realm.getName() : realm.getDisplayName());
        String subject = new MessageFormat(messages.getProperty(template + "Subject", template), locale)
                .format(new Object[] {integrationName});
        FreeMarkerProvider freeMarker = session.getProvider(FreeMarkerProvider.class);
        String text;
        String html;
        try {
            text = freeMarker.processTemplate(data, "text/" + template + ".ftl", theme);
            html = freeMarker.processTemplate(data, "html/" + template + ".ftl", theme);
        } catch (FreeMarkerException e) {
            throw new IllegalStateException("The e-mail template " + template + " failed", e);
        }
        try {
            session.getProvider(EmailSenderProvider.class).send(realm.getSmtpConfig(), request.getContactEmail(), subject, text, html);
        } catch (EmailException e) {
            // Keycloak's sender has logged the SMTP failure; the mail's body (a one-time link) is never logged.
            throw unavailable();
        }
    }

    private static ApiException unavailable() {
        return ApiException.of(ErrorCode.MAIL_UNAVAILABLE, "The realm cannot send e-mail right now, so nothing was changed; try again later.", null);
    }
}
