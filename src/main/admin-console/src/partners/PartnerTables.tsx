import { useRealm } from "@keycloak/keycloak-admin-ui";
import type AdminEventRepresentation from "@keycloak/keycloak-admin-client/lib/defs/adminEventRepresentation";
import type ClientRepresentation from "@keycloak/keycloak-admin-client/lib/defs/clientRepresentation";
import { Alert } from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useLoad } from "../api";
import { Empty, StatusLabel } from "../components";
import { formatTime, Grant, Partner } from "../model";

/** The partner's Keycloak client in each environment, linked to Keycloak's own client page. */
export const EnvironmentsTable = ({
  partner,
  findClient,
}: {
  partner: Partner;
  findClient: (clientId: string) => Promise<ClientRepresentation[]>;
}) => {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const clients = useLoad(async () => {
    const found = await Promise.all(
      partner.environments.map((env) => (env.clientId ? findClient(env.clientId) : Promise.resolve([]))),
    );
    return new Map(found.flat().map((client) => [client.clientId!, client.id!]));
  }, [partner]);

  return (
    <Table aria-label={t("ensyncEnvironments")} variant="compact" data-testid="ensync-partner-environments">
      <Thead>
        <Tr>
          <Th>{t("ensyncEnvironment")}</Th>
          <Th>{t("clientId")}</Th>
          <Th>{t("status")}</Th>
          <Th>{t("ensyncSecretCreated")}</Th>
        </Tr>
      </Thead>
      <Tbody>
        {partner.environments.map((env) => {
          const uuid = env.clientId && clients.data?.get(env.clientId);
          return (
            <Tr key={env.name}>
              <Td dataLabel={t("ensyncEnvironment")}>{env.name}</Td>
              <Td dataLabel={t("clientId")}>
                {uuid ? (
                  <Link to={`/${encodeURIComponent(realm)}/clients/${uuid}/settings`}>{env.clientId}</Link>
                ) : (
                  (env.clientId ?? t("ensyncNotOnboarded"))
                )}
              </Td>
              <Td dataLabel={t("status")}>
                <StatusLabel status={env.enabled ? "enabled" : "disabled"} />
              </Td>
              <Td dataLabel={t("ensyncSecretCreated")}>{formatTime(env.secretCreatedAt)}</Td>
            </Tr>
          );
        })}
      </Tbody>
    </Table>
  );
};

export const GrantsTable = ({ grants, decide }: { grants: Grant[]; decide: (grant: Grant) => ReactNode }) => {
  const { t } = useTranslation();
  if (grants.length === 0) return <Empty title={t("ensyncNoGrants")} body={t("ensyncNoGrantsHelp")} />;
  return (
    <Table aria-label={t("ensyncGrants")} variant="compact" data-testid="ensync-partner-grants">
      <Thead>
        <Tr>
          <Th>{t("ensyncTopic")}</Th>
          <Th>{t("ensyncEnvironment")}</Th>
          <Th>{t("ensyncScopes")}</Th>
          <Th>{t("status")}</Th>
          <Th>{t("ensyncRequested")}</Th>
          <Th>{t("ensyncDecided")}</Th>
          <Th screenReaderText={t("actions")} />
        </Tr>
      </Thead>
      <Tbody>
        {grants.map((grant) => (
          <Tr key={grant.id}>
            <Td dataLabel={t("ensyncTopic")}>
              <code>{grant.topic}</code>
            </Td>
            <Td dataLabel={t("ensyncEnvironment")}>{grant.environment}</Td>
            <Td dataLabel={t("ensyncScopes")}>{grant.scopes.join(", ")}</Td>
            <Td dataLabel={t("status")}>
              <StatusLabel status={grant.status} />
              {grant.reason && <div className="pf-v5-u-font-size-sm">{grant.reason}</div>}
            </Td>
            <Td dataLabel={t("ensyncRequested")}>{formatTime(grant.requestedAt)}</Td>
            <Td dataLabel={t("ensyncDecided")}>
              {formatTime(grant.decidedAt)}
              {grant.decidedBy && <div className="pf-v5-u-font-size-sm">{grant.decidedBy}</div>}
            </Td>
            <Td isActionCell>{decide(grant)}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};

/** The partner's audit trail from Keycloak's admin events; reading it needs the admin's `view-events` role. */
export const HistoryTable = ({
  partnerId,
  load,
}: {
  partnerId: string;
  load: () => Promise<AdminEventRepresentation[]>;
}) => {
  const { t } = useTranslation();
  const events = useLoad(load, [partnerId]);
  if (events.error) {
    // The admin client's errors carry the HTTP response.
    const forbidden = (events.error as { response?: Response }).response?.status === 403;
    return <Alert variant="info" isInline isPlain title={forbidden ? t("ensyncHistoryForbidden") : events.error.message} />;
  }
  if (!events.data) return null;
  if (events.data.length === 0) return <Empty title={t("ensyncNoHistory")} body={t("ensyncNoHistoryHelp")} />;
  return (
    <Table aria-label={t("ensyncHistory")} variant="compact" data-testid="ensync-partner-history">
      <Thead>
        <Tr>
          <Th>{t("time")}</Th>
          <Th>{t("resourceType")}</Th>
          <Th>{t("operationType")}</Th>
          <Th>{t("resourcePath")}</Th>
        </Tr>
      </Thead>
      <Tbody>
        {events.data.map((event, index) => (
          <Tr key={index}>
            <Td dataLabel={t("time")}>{formatTime(event.time ? new Date(event.time).toISOString() : undefined)}</Td>
            <Td dataLabel={t("resourceType")}>{event.resourceType}</Td>
            <Td dataLabel={t("operationType")}>{event.operationType}</Td>
            <Td dataLabel={t("resourcePath")}>
              <code>{event.resourcePath}</code>
            </Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
