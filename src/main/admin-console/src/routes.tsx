import { PageNotFoundSection, routes as stockRoutes } from "@keycloak/keycloak-admin-ui";
import type { TFunction } from "i18next";
import { lazy } from "react";
import type { NonIndexRouteObject } from "react-router-dom";
import { ConsoleRoot, EnsyncFrame } from "./layout/ConsoleLayout";

const IntegrationsSection = lazy(() => import("./integrations/IntegrationsSection"));
const IntegrationDetails = lazy(() => import("./integrations/IntegrationDetails"));
const PartnersSection = lazy(() => import("./partners/PartnersSection"));
const PartnerDetails = lazy(() => import("./partners/PartnerDetails"));
const ApprovalsSection = lazy(() => import("./approvals/ApprovalsSection"));

type EnsyncRoute = NonIndexRouteObject & {
  path: string;
  handle: { access: "view-clients"; breadcrumb: (t: TFunction) => string };
};

const route = (path: string, element: JSX.Element, title: string): EnsyncRoute => ({
  path,
  element,
  handle: { access: "view-clients", breadcrumb: (t) => t(title) },
});

/** The EnSync pages; reading them needs `view-clients` (the server enforces the same). */
export const ensyncRoutes: EnsyncRoute[] = [
  route("/:realm/ensync/integrations", <IntegrationsSection />, "ensyncIntegrations"),
  route("/:realm/ensync/integrations/:id/:tab", <IntegrationDetails />, "ensyncIntegrationDetails"),
  route("/:realm/ensync/partners", <PartnersSection />, "ensyncPartners"),
  route("/:realm/ensync/partners/:id", <PartnerDetails />, "ensyncPartnerDetails"),
  route("/:realm/ensync/approvals", <ApprovalsSection />, "ensyncApprovals"),
];

export const toIntegration = (realm: string, id: string, tab = "settings") =>
  `/${encodeURIComponent(realm)}/ensync/integrations/${id}/${tab}`;
export const toPartner = (realm: string, id: string) => `/${encodeURIComponent(realm)}/ensync/partners/${id}`;

export const rootRoute = {
  path: "/",
  element: <ConsoleRoot />,
  errorElement: <PageNotFoundSection />,
  handle: { access: "anyone" },
  children: [{ element: <EnsyncFrame />, children: [...ensyncRoutes, ...stockRoutes] }],
};
