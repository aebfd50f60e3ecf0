import {
  AdminClientProvider,
  AppContexts,
  ForbiddenSection,
  Header,
  KeycloakProvider,
  PageBreadCrumbs,
  useAccess,
} from "@keycloak/keycloak-admin-ui";
import type { AccessType } from "@keycloak/keycloak-admin-client/lib/defs/whoAmIRepresentation";
import { Page, Spinner } from "@patternfly/react-core";
import { PropsWithChildren, Suspense } from "react";
import { Outlet, useMatches } from "react-router-dom";
import { environment } from "../environment";
import { ConsoleNav } from "./ConsoleNav";

/** Keycloak's own element id for the main content, which its pages use to scroll and to skip to content. */
const mainContentId = "kc-main-content-page-container";

/**
 * The stock admin console's frame (header, breadcrumbs, contexts, the stock pages as routes) with a navigation that
 * adds the EnSync section. Only the navigation differs from Keycloak's App: the stock one cannot be extended.
 */
export const ConsoleLayout = () => (
  <KeycloakProvider environment={environment}>
    <AdminClientProvider>
      <AppContexts>
        <Page
          header={<Header />}
          isManagedSidebar
          sidebar={<ConsoleNav />}
          breadcrumb={<PageBreadCrumbs />}
          mainContainerId={mainContentId}
        >
          <Suspense fallback={<Spinner />}>
            <AccessWall>
              <Outlet />
            </AccessWall>
          </Suspense>
        </Page>
      </AppContexts>
    </AdminClientProvider>
  </KeycloakProvider>
);

/** Shows Keycloak's "forbidden" page when the matched routes need roles the admin lacks, as the stock console does. */
const AccessWall = ({ children }: PropsWithChildren) => {
  const { hasAccess } = useAccess();
  const needed = useMatches().flatMap(({ handle }) => {
    const access = (handle as { access?: AccessType | AccessType[] } | undefined)?.access;
    return access === undefined ? [] : Array.isArray(access) ? access : [access];
  });
  return hasAccess(...needed) ? children : <ForbiddenSection permissionNeeded={needed} />;
};
