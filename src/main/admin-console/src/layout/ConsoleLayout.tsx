import { AdminUi, KeycloakProvider, useAccess, useRealm } from "@keycloak/keycloak-admin-ui";
import { NavGroup, Spinner } from "@patternfly/react-core";
import { Suspense, useEffect, useState } from "react";
import { createPortal } from "react-dom";
import { useTranslation } from "react-i18next";
import { NavLink, Outlet } from "react-router-dom";
import { environment } from "../environment";

/**
 * The stock admin console itself — Keycloak's App from the package (`AdminUi`): its contexts, banners (such as the
 * temporary-admin warning), header, navigation, breadcrumbs, access wall and every stock page — unchanged.
 */
export const ConsoleRoot = () => (
  <KeycloakProvider environment={environment}>
    <AdminUi />
  </KeycloakProvider>
);

/**
 * Rendered by the stock App's outlet around every page (a layout route without a path): adds the EnSync section to
 * the end of the stock navigation and renders the page. The page loads in its own suspense boundary, so the section
 * stays in place while a page's code loads.
 */
export const EnsyncFrame = () => (
  <>
    <EnsyncNavSection />
    <Suspense fallback={<Spinner />}>
      <Outlet />
    </Suspense>
  </>
);

const items = [
  { title: "ensyncIntegrations", path: "/ensync/integrations" },
  { title: "ensyncPartners", path: "/ensync/partners" },
  { title: "ensyncApprovals", path: "/ensync/approvals" },
];

/**
 * The "EnSync partners" group, rendered into the stock navigation (`PageNav`, which takes no extra items) through a
 * portal: the stock sections stay exactly Keycloak's. The group sits in its own element at the end of the
 * navigation, moved back there whenever the stock navigation adds a section after it.
 */
const EnsyncNavSection = () => {
  const { t } = useTranslation();
  const { hasAccess } = useAccess();
  const { realm } = useRealm();
  const container = useNavContainer();
  if (!container || !hasAccess("view-clients")) {
    return null;
  }
  return createPortal(
    <NavGroup aria-label={t("ensyncSection")} title={t("ensyncSection")} data-testid="ensync-nav">
      {items.map(({ title, path }) => {
        const id = "nav-item" + path.replaceAll("/", "-");
        return (
          <li key={path}>
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
      })}
    </NavGroup>,
    container,
  );
};

const useNavContainer = () => {
  const [container, setContainer] = useState<HTMLElement>();
  useEffect(() => {
    const element = document.createElement("div");
    element.className = "ensync-nav";
    let observer: MutationObserver | undefined;
    const place = () => {
      const nav = document.querySelector<HTMLElement>(".keycloak__page_nav__nav nav");
      if (!nav) return false;
      if (nav.lastElementChild !== element) nav.appendChild(element);
      if (!observer) {
        observer = new MutationObserver(() => {
          if (nav.lastElementChild !== element) nav.appendChild(element);
        });
        observer.observe(nav, { childList: true });
      }
      return true;
    };
    // The stock navigation is rendered with the page, so it is there by now; if not, wait for it.
    const waiting = place() ? undefined : new MutationObserver(() => place() && waiting?.disconnect());
    waiting?.observe(document.body, { childList: true, subtree: true });
    setContainer(element);
    return () => {
      waiting?.disconnect();
      observer?.disconnect();
      element.remove();
    };
  }, []);
  return container;
};
