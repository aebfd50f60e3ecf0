import { useConfirmDialog } from "@keycloak/keycloak-admin-ui";
import { Button, ButtonVariant, PageSection, Toolbar, ToolbarContent, ToolbarItem } from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useEnsyncApi, useLoad } from "../api";
import { LoadError, Loading, SecretOnceModal, StatusLabel, useNotices } from "../components";
import { formatTime, IntegrationKey } from "../model";

type Props = { integrationId: string; readOnly: boolean; notices: ReturnType<typeof useNotices> };

/** Integration Keys: only their prefix and dates can be read; a new key is shown once, a revoked key stops at once. */
export const IntegrationKeys = ({ integrationId, readOnly, notices }: Props) => {
  const { t } = useTranslation();
  const api = useEnsyncApi();
  const keys = useLoad(() => api.get<IntegrationKey[]>(`/integrations/${integrationId}/keys`), [api, integrationId]);
  const [created, setCreated] = useState<IntegrationKey>();
  const [revoking, setRevoking] = useState<IntegrationKey>();
  const [confirmRevoke, RevokeDialog] = useConfirmDialog({
    titleKey: t("ensyncRevokeKeyTitle", { prefix: revoking?.prefix }),
    messageKey: t("ensyncRevokeKeyBody"),
    continueButtonLabel: "ensyncRevoke",
    continueButtonVariant: ButtonVariant.danger,
    onConfirm: async () => {
      try {
        await api.delete(`/integrations/${integrationId}/keys/${revoking!.id}`);
        notices.success(t("ensyncKeyRevoked"));
        keys.reload();
      } catch (error) {
        notices.failure(error);
      }
    },
  });

  const createKey = async () => {
    try {
      setCreated(await api.post<IntegrationKey>(`/integrations/${integrationId}/keys`));
      keys.reload();
    } catch (error) {
      notices.failure(error);
    }
  };

  if (keys.error) return <LoadError error={keys.error} />;
  if (!keys.data) return <Loading />;

  return (
    <PageSection variant="light" className="pf-v5-u-p-0">
      <RevokeDialog />
      {created?.key && (
        <SecretOnceModal title={t("ensyncKeyCreated")} secret={created.key} onClose={() => setCreated(undefined)} />
      )}
      {!readOnly && (
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <Button data-testid="ensync-create-key" onClick={createKey}>
                {t("ensyncCreateKey")}
              </Button>
            </ToolbarItem>
          </ToolbarContent>
        </Toolbar>
      )}
      <Table aria-label={t("ensyncKeys")} variant="compact" data-testid="ensync-keys">
        <Thead>
          <Tr>
            <Th>{t("ensyncKeyPrefix")}</Th>
            <Th>{t("ensyncCreated")}</Th>
            <Th>{t("ensyncLastUsed")}</Th>
            <Th>{t("ensyncExpires")}</Th>
            <Th>{t("status")}</Th>
            {!readOnly && <Th screenReaderText={t("actions")} />}
          </Tr>
        </Thead>
        <Tbody>
          {keys.data.map((key) => (
            <Tr key={key.id}>
              <Td dataLabel={t("ensyncKeyPrefix")}>
                <code>{key.prefix}…</code>
              </Td>
              <Td dataLabel={t("ensyncCreated")}>{formatTime(key.createdAt)}</Td>
              <Td dataLabel={t("ensyncLastUsed")}>{formatTime(key.lastUsedAt)}</Td>
              <Td dataLabel={t("ensyncExpires")}>{key.expiresAt ? formatTime(key.expiresAt) : t("ensyncNever")}</Td>
              <Td dataLabel={t("status")}>
                <StatusLabel status={key.revoked ? "revoked" : "active"} />
              </Td>
              {!readOnly && (
                <Td isActionCell>
                  {!key.revoked && (
                    <Button
                      variant="link"
                      isDanger
                      onClick={() => {
                        setRevoking(key);
                        confirmRevoke();
                      }}
                    >
                      {t("ensyncRevoke")}
                    </Button>
                  )}
                </Td>
              )}
            </Tr>
          ))}
        </Tbody>
      </Table>
    </PageSection>
  );
};
