import {
  routes,
  useAccess,
  useEnvironment,
  useRealm,
  useServerInfo,
} from "@keycloak/keycloak-admin-ui";
import type { AdminEnvironment } from "@keycloak/keycloak-admin-ui";
import { Label, Nav, NavGroup, PageSidebar, PageSidebarBody } from "@patternfly/react-core";
import { useTranslation } from "react-i18next";
import { NavLink } from "react-router-dom";
import { ensyncRoutes } from "../routes";

type Item = { title: string; path: string; show?: boolean };

/** Strips the route parameters, the way the stock navigation matches an item to its route's access rule. */
const bare = (path: string) => path.replace(/\/:[^/]+/g, "");

const NavItem = ({ title, path }: Item) => {
  const { t } = useTranslation();
  const { hasAccess } = useAccess();
  const { realm } = useRealm();
  const route = [...ensyncRoutes, ...routes].find((r) => bare(r.path) === path);
  const access = route?.handle.access;
  if (!route || !hasAccess(...(Array.isArray(access) ? access : [access!]))) {
    return null;
  }
  const id = "nav-item" + path.replaceAll("/", "-");
  return (
    <li>
      <NavLink
        id={id}
        data-testid={id}
        to={`/${encodeURIComponent(realm)}${path}`}
        className={({ isActive }) => `pf-v5-c-nav__link${isActive ? " pf-m-current" : ""}`}
      >
        {t(title)}
      </NavLink>
    </li>
  );
};

const Group = ({ title, items }: { title: string; items: Item[] }) => {
  const { t } = useTranslation();
  return (
    <NavGroup aria-label={t(title)} title={t(title)}>
      {items
        .filter((item) => item.show !== false)
        .map((item) => (
          <NavItem key={item.path} {...item} />
        ))}
    </NavGroup>
  );
};

/**
 * The stock console's sections (each item shown when the admin may open its route), plus "EnSync partners":
 * integrations, partners and approvals of the realm being administered.
 */
export const ConsoleNav = () => {
  const { t } = useTranslation();
  const { environment } = useEnvironment<AdminEnvironment>();
  const { hasSomeAccess } = useAccess();
  const { realm, realmRepresentation } = useRealm();
  const { features } = useServerInfo();
  const feature = (name: string) => !!features?.some((f) => f.name === name && f.enabled);

  return (
    <PageSidebar className="keycloak__page_nav__nav">
      <PageSidebarBody>
        <Nav>
          <h2 className="pf-v5-c-nav__section-title" style={{ wordWrap: "break-word" }}>
            <span data-testid="currentRealm">{realmRepresentation?.displayName || realm}</span>{" "}
            <Label color="blue">{t("currentRealm")}</Label>
          </h2>
          {environment.masterRealm === environment.realm && (
            <NavGroup>
              <NavItem title="manageRealms" path="/realms" />
            </NavGroup>
          )}
          {hasSomeAccess("view-realm", "query-groups", "query-users", "query-clients", "view-events") && (
            <Group
              title="manage"
              items={[
                {
                  title: "organizations",
                  path: "/organizations",
                  show: feature("ORGANIZATION") && !!realmRepresentation?.organizationsEnabled,
                },
                { title: "clients", path: "/clients" },
                { title: "clientScopes", path: "/client-scopes" },
                { title: "realmRoles", path: "/roles" },
                { title: "users", path: "/users" },
                { title: "groups", path: "/groups" },
                { title: "sessions", path: "/sessions" },
                { title: "events", path: "/events" },
              ]}
            />
          )}
          {hasSomeAccess("view-realm", "query-clients", "view-identity-providers") && (
            <Group
              title="configure"
              items={[
                { title: "realmSettings", path: "/realm-settings" },
                { title: "authentication", path: "/authentication" },
                {
                  title: "permissions",
                  path: "/permissions",
                  show:
                    feature("ADMIN_FINE_GRAINED_AUTHZ_V2") &&
                    !!realmRepresentation?.adminPermissionsEnabled,
                },
                { title: "identityProviders", path: "/identity-providers" },
                { title: "userFederation", path: "/user-federation" },
              ]}
            />
          )}
          <Group
            title="ensyncSection"
            items={[
              { title: "ensyncIntegrations", path: "/ensync/integrations" },
              { title: "ensyncPartners", path: "/ensync/partners" },
              { title: "ensyncApprovals", path: "/ensync/approvals" },
            ]}
          />
        </Nav>
      </PageSidebarBody>
    </PageSidebar>
  );
};
