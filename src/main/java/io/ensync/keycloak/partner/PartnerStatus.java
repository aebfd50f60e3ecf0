package io.ensync.keycloak.partner;

import java.util.Locale;

/** Where a partner stands: invited (link not yet redeemed), active, suspended by an admin, or offboarded. */
public enum PartnerStatus {
    INVITED, ACTIVE, SUSPENDED, OFFBOARDED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
