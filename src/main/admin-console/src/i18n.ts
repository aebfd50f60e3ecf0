import { createInstance } from "i18next";
import FetchBackend from "i18next-fetch-backend";
import { initReactI18next } from "react-i18next";
import { environment } from "./environment";

type Message = { key: string; value: string };

/**
 * The stock console's translation set-up: messages come from the admin theme's bundles on the server, so the
 * EnSync strings live in themes/ensync/admin/messages next to Keycloak's and realms can override them.
 */
export const i18n = createInstance({
  fallbackLng: "en",
  keySeparator: ".",
  nsSeparator: false,
  interpolation: { escapeValue: false },
  defaultNS: [environment.realm],
  ns: [environment.realm],
  backend: {
    loadPath: `${environment.adminBaseUrl.replace(/\/$/, "")}/resources/{{ns}}/admin/{{lng}}`,
    parse: (data: string) =>
      Object.fromEntries(
        (JSON.parse(data) as Message[]).map(({ key, value }) => [key, value]),
      ),
  },
});

i18n.use(FetchBackend);
i18n.use(initReactI18next);
