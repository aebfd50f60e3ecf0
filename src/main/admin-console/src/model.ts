import { i18n } from "./i18n";
import {
  components,
  integrationEnvironmentsValues,
  webhookInputEventTypesValues,
} from "./generated/openapi";

/**
 * The admin API's representations, generated from the OpenAPI document (src/main/resources/ensync/openapi.json, the
 * one source that OpenApiIT checks the server against) by `npm run generate`, which `npm run build` runs first.
 */
type Schemas = components["schemas"];

export type Integration = Schemas["Integration"];
export type TopicRule = Schemas["TopicRule"];
export type SecretPolicy = Schemas["SecretPolicy"];
export type IntegrationKey = Schemas["IntegrationKey"];
export type AccessRequest = Schemas["AccessRequest"];
export type PartnerEnvironment = Schemas["PartnerEnvironment"];
export type Partner = Schemas["Partner"];
export type Grant = Schemas["Grant"];
export type Promotion = Schemas["Promotion"];
/** A webhook endpoint of an integration (docs/webhooks.md); `secret` only in the answers to create and rotate. */
export type Webhook = Schemas["Webhook"];
/** One message of an endpoint's delivery log; its id is the `webhook-id` the receiver sees on every attempt. */
export type Delivery = Schemas["WebhookDelivery"];

export const ENVIRONMENTS = integrationEnvironmentsValues;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

/** The lifecycle event types an endpoint may subscribe to (SPEC §13); none chosen means every one. */
export const EVENT_TYPES = webhookInputEventTypesValues;

/** A time in the admin's language (the console's, from Keycloak: the admin's or the realm's locale). */
export const formatTime = (iso?: string) =>
  iso ? new Date(iso).toLocaleString(i18n.resolvedLanguage ?? i18n.language ?? undefined, { dateStyle: "medium", timeStyle: "short" }) : "—";
