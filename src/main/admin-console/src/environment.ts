import type { AdminEnvironment } from "@keycloak/keycloak-admin-ui";

/** What Keycloak's admin page (keycloak.v2's index.ftl) injects: server URLs, login realm, client id. */
export const environment: AdminEnvironment = JSON.parse(
  document.getElementById("environment")!.textContent!,
);
