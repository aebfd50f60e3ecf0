package io.ensync.keycloak.link;

/** What redeeming a link does: first onboarding (creates the clients) or re-entry into the portal. */
public enum LinkPurpose {
    ONBOARDING, REENTRY
}
