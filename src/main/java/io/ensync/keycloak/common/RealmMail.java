package io.ensync.keycloak.common;

import org.keycloak.models.RealmModel;

import java.util.Map;

/** The realm's own e-mail settings (Realm settings → Email), as Keycloak's e-mail sender reads them. */
public final class RealmMail {

    private RealmMail() {
    }

    /** Whether the realm can send mail at all: an SMTP host is set. */
    public static boolean configured(RealmModel realm) {
        Map<String, String> smtp = realm.getSmtpConfig();
        return smtp != null && !Checks.isBlank(smtp.get("host"));
    }
}
