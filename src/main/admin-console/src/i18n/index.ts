import { createInstance, type BackendModule, type ReadCallback } from "i18next";
import { initReactI18next } from "react-i18next";
import { environment } from "../environment";
import { parseProperties } from "./properties";

type Message = { key: string; value: string };

/**
 * EnSync's own message bundles (themes/ensync/admin/messages, the files the theme also ships to the server), built
 * into the script: one source of truth for both.
 */
const builtIn: Record<string, Record<string, string>> = Object.fromEntries(
  Object.entries(
    import.meta.glob<string>("../../../../../themes/ensync/admin/messages/messages_*.properties", {
      query: "?raw",
      import: "default",
      eager: true,
    }),
  ).map(([path, text]) => [path.match(/messages_([^/]+)\.properties$/)![1], parseProperties(text)]),
);

/** The languages EnSync's pages are written in (en, de, …): those with a bundle in the theme. */
export const ensyncLanguages = Object.keys(builtIn);

/**
 * The EnSync strings for a language, from its bundle: "de-AT" falls back to "de"; a language without a bundle gets
 * none here (i18next then falls back to English, as for Keycloak's own strings).
 */
export const ensyncMessages = (language: string): Record<string, string> =>
  builtIn[language] ?? builtIn[language.split("-")[0]] ?? {};

/**
 * The stock console's translation set-up, with one difference. Messages come from the server as in the stock
 * console: `/resources/{realm}/admin/{lng}`, the admin theme of the realm being *managed* (the stock console switches
 * the namespace to it), with that realm's localization overrides. That realm's admin theme is usually keycloak.v2,
 * which has no EnSync strings: this backend fills in every EnSync key the server's answer lacks from the bundles
 * built in. What the server sends wins, so realms can still override EnSync's strings.
 */
const backend: BackendModule = {
  type: "backend",
  init() {},
  read(language: string, namespace: string, callback: ReadCallback) {
    const url = `${environment.adminBaseUrl.replace(/\/$/, "")}/resources/${namespace}/admin/${language}`;
    fetch(url)
      .then(async (response) => {
        const server: Record<string, string> = response.ok
          ? Object.fromEntries(((await response.json()) as Message[]).map(({ key, value }) => [key, value]))
          : {};
        callback(null, { ...ensyncMessages(language), ...server });
      })
      .catch((error: unknown) => {
        // As if the server had no bundle: the EnSync strings still show; Keycloak's fall back to their keys.
        console.warn("Cannot load the messages of", namespace, language, error);
        callback(null, { ...ensyncMessages(language) });
      });
  },
};

export const i18n = createInstance({
  fallbackLng: "en",
  keySeparator: ".",
  nsSeparator: false,
  interpolation: { escapeValue: false },
  defaultNS: [environment.realm],
  ns: [environment.realm],
});

i18n.use(backend);
i18n.use(initReactI18next);
