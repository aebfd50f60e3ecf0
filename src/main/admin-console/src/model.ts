import { i18n } from "./i18n";

/** The admin API's representations (docs/api.md). */

export const ENVIRONMENTS = ["dev", "stage", "prod"] as const;
export type EnvironmentName = (typeof ENVIRONMENTS)[number];

export type TopicRule = {
  pattern: string;
  send: boolean;
  receive: boolean;
  autoApprove: EnvironmentName[];
};

export type SecretPolicy = {
  maxAgeDays?: Partial<Record<EnvironmentName, number>>;
  rotationGraceSeconds?: number;
};

export type Integration = {
  id: string;
  name: string;
  description?: string;
  environments: EnvironmentName[];
  linkTtlSeconds: number;
  allowedEmbedOrigins: string[];
  topics: TopicRule[];
  secretPolicy: SecretPolicy;
  /** Approved or pending grants a partner may hold per environment (SPEC §7). */
  maxGrantsPerEnvironment: number;
  enabled: boolean;
  createdAt: string;
  updatedAt: string;
  key?: string;
  /** Whether its public join page takes access requests (SPEC §15). */
  accessRequests: "off" | "approval";
  joinSlug?: string;
  joinFields: { key: string; label: string; required: boolean }[];
  color?: string;
  icon?: string;
};

/** A verified access request (an unverified one is shown to nobody). */
export type AccessRequest = {
  id: string;
  integrationId: string;
  status: "pending" | "approved" | "denied";
  appName: string;
  appDescription?: string;
  contactEmail: string;
  fields: Record<string, string>;
  createdAt: string;
  verifiedAt: string;
  decidedAt?: string;
  decidedBy?: string;
  reason?: string;
  partnerId?: string;
};

export type IntegrationKey = {
  id: string;
  prefix: string;
  createdAt: string;
  lastUsedAt?: string;
  expiresAt?: string;
  revoked: boolean;
  revokedAt?: string;
  key?: string;
};

export type PartnerEnvironment = {
  name: EnvironmentName;
  clientId?: string;
  enabled: boolean;
  secretCreatedAt?: string;
};

export type Partner = {
  id: string;
  integrationId: string;
  appName: string;
  appDescription?: string;
  metadata?: Record<string, unknown>;
  status: "invited" | "active" | "suspended" | "offboarded";
  stage: EnvironmentName;
  environments: PartnerEnvironment[];
  createdAt: string;
  onboardedAt?: string;
};

export type Grant = {
  id: string;
  partnerId: string;
  environment: EnvironmentName;
  topic: string;
  scopes: ("send" | "receive")[];
  status: "pending" | "approved" | "denied" | "revoked" | "withdrawn";
  requestedAt: string;
  decidedAt?: string;
  decidedBy?: string;
  reason?: string;
};

export type Promotion = {
  id: string;
  partnerId: string;
  from: EnvironmentName;
  to: EnvironmentName;
  status: "pending" | "approved" | "denied" | "revoked";
  requestedAt: string;
  decidedAt?: string;
  decidedBy?: string;
  reason?: string;
  /** The grants recorded when the promotion was requested: what its approval copies. */
  grants: { grantId: string; topic: string; scopes: ("send" | "receive")[] }[];
};

/** A time in the admin's language (the console's, from Keycloak: the admin's or the realm's locale). */
export const formatTime = (iso?: string) =>
  iso ? new Date(iso).toLocaleString(i18n.resolvedLanguage ?? i18n.language ?? undefined, { dateStyle: "medium", timeStyle: "short" }) : "—";

/** The lifecycle event types an endpoint may subscribe to (SPEC §13); none chosen means every one. */
export const EVENT_TYPES = [
  "partner.created",
  "partner.onboarded",
  "partner.suspended",
  "partner.resumed",
  "partner.offboarded",
  "grant.requested",
  "grant.approved",
  "grant.denied",
  "grant.revoked",
  "grant.withdrawn",
  "promotion.requested",
  "promotion.approved",
  "promotion.denied",
  "secret.rotated",
  "secret.expiring",
  "credentials.changed",
] as const;

/** A webhook endpoint of an integration (docs/webhooks.md); `secret` only in the answers to create and rotate. */
export type Webhook = {
  id: string;
  integrationId: string;
  url: string;
  description?: string;
  /** Empty: every event type. */
  eventTypes: string[];
  enabled: boolean;
  /** Why the server turned it off: `gone` (answered 410) or `failing` (5 days without a success). */
  disabledReason?: string;
  disabledAt?: string;
  /** While a rotated secret still signs alongside the new one. */
  previousSecretValidUntil?: string;
  createdAt: string;
  updatedAt: string;
  secret?: string;
};

/** One message of an endpoint's delivery log; its id is the `webhook-id` the receiver sees on every attempt. */
export type Delivery = {
  id: string;
  eventType: string;
  status: "pending" | "delivered" | "failed";
  attempts: number;
  createdAt: string;
  lastAttemptAt?: string;
  /** The last answer's HTTP status; absent when there was none (timeout, refused connection, blocked target). */
  lastStatus?: number;
  lastError?: string;
  lastLatencyMillis?: number;
  /** Only while it is pending. */
  nextAttemptAt?: string;
  deliveredAt?: string;
};
