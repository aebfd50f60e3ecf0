import "@patternfly/react-core/dist/styles/base.css";
import "@patternfly/patternfly/patternfly-addons.css";
import "@keycloak/keycloak-admin-ui/styles.css";
import "./console.css";

import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { createHashRouter, RouterProvider } from "react-router-dom";
import { i18n } from "./i18n";
import { rootRoute } from "./routes";

await i18n.init();

createRoot(document.getElementById("app")!).render(
  <StrictMode>
    <RouterProvider router={createHashRouter([rootRoute])} />
  </StrictMode>,
);
