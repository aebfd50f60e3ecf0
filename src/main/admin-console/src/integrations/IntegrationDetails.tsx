import { useRealm } from "@keycloak/keycloak-admin-ui";
import { Alert, Button, PageSection, Tab, Tabs, TabTitleText } from "@patternfly/react-core";
import { DetailHeader } from "../layout/DetailHeader";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useEnsyncApi, useLoad } from "../api";
import { AuditBanner, LoadError, Loading, useCanManage, useNotices } from "../components";
import { formatTime, Integration, Webhook } from "../model";
import { toIntegration } from "../routes";
import { IntegrationKeys } from "./IntegrationKeys";
import { IntegrationSettings } from "./IntegrationSettings";
import { IntegrationWebhooks } from "./IntegrationWebhooks";
import { TopicCatalog } from "./TopicCatalog";
import { useDeleteIntegration } from "./useDeleteIntegration";

export default function IntegrationDetails() {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const { id, tab } = useParams<{ id: string; tab: string }>();
  const api = useEnsyncApi();
  const navigate = useNavigate();
  const canManage = useCanManage();
  const notices = useNotices();
  const integration = useLoad(() => api.get<Integration>(`/integrations/${id}`), [api, id]);
  // Loaded here for the banner on every tab when the server disabled an endpoint (410, or 5 days of failures).
  const webhooks = useLoad(() => api.get<Webhook[]>(`/integrations/${id}/webhooks`), [api, id]);
  const [confirmDelete, deleteDialog] = useDeleteIntegration(notices, () =>
    navigate(`/${encodeURIComponent(realm)}/ensync/integrations`),
  );

  if (integration.error) return <LoadError error={integration.error} />;
  if (!integration.data) return <Loading />;
  const current = integration.data;

  /** Saves changed settings (PUT keeps what is left out) and shows the server's answer. */
  const save = async (change: Partial<Integration>) => {
    try {
      await api.put(`/integrations/${id}`, change);
      notices.success(t("ensyncIntegrationSaved"));
      integration.reload();
    } catch (error) {
      notices.failure(error);
    }
  };

  return (
    <>
      <DetailHeader
        title={current.name}
        description={
          <>
            {current.description}{" "}
            <Link to={`/${encodeURIComponent(realm)}/ensync/partners?integration=${current.id}`}>
              {t("ensyncSeePartners")}
            </Link>
          </>
        }
        enabled={current.enabled}
        onToggle={canManage ? (enabled) => save({ enabled }) : undefined}
        actions={
          canManage ? [{ key: "delete", title: t("delete"), danger: true, onClick: () => confirmDelete(current) }] : []
        }
      />
      <AuditBanner />
      <DisabledWebhooksBanner
        webhooks={webhooks.data ?? []}
        onOpen={tab === "webhooks" ? undefined : () => navigate(toIntegration(realm, current.id, "webhooks"))}
      />
      {notices.view}
      {deleteDialog}
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Tabs
          activeKey={tab}
          onSelect={(_e, key) => navigate(toIntegration(realm, current.id, String(key)))}
          inset={{ default: "insetMd" }}
        >
          <Tab eventKey="settings" data-testid="ensync-tab-settings" title={<TabTitleText>{t("ensyncSettings")}</TabTitleText>}>
            <IntegrationSettings integration={current} readOnly={!canManage} onSave={save} />
          </Tab>
          <Tab eventKey="topics" data-testid="ensync-tab-topics" title={<TabTitleText>{t("ensyncTopicCatalog")}</TabTitleText>}>
            <TopicCatalog integration={current} readOnly={!canManage} onSave={(topics) => save({ topics })} />
          </Tab>
          <Tab eventKey="keys" data-testid="ensync-tab-keys" title={<TabTitleText>{t("ensyncKeys")}</TabTitleText>}>
            <IntegrationKeys integrationId={current.id} readOnly={!canManage} notices={notices} />
          </Tab>
          <Tab eventKey="webhooks" data-testid="ensync-tab-webhooks" title={<TabTitleText>{t("ensyncWebhooks")}</TabTitleText>}>
            <IntegrationWebhooks integrationId={current.id} webhooks={webhooks} readOnly={!canManage} notices={notices} />
          </Tab>
        </Tabs>
      </PageSection>
    </>
  );
}

/** SPEC §13: an endpoint the server disabled (it answered 410, or failed for 5 days) is told to the admin plainly. */
const DisabledWebhooksBanner = ({ webhooks, onOpen }: { webhooks: Webhook[]; onOpen?: () => void }) => {
  const { t } = useTranslation();
  const disabled = webhooks.filter((w) => !w.enabled && w.disabledReason);
  if (disabled.length === 0) return null;
  return (
    <PageSection variant="light" className="pf-v5-u-pt-0" data-testid="ensync-webhooks-disabled-banner">
      <Alert
        variant="warning"
        isInline
        title={t("ensyncWebhooksDisabledTitle", { number: disabled.length })}
        actionLinks={
          onOpen && (
            <Button variant="link" isInline onClick={onOpen}>
              {t("ensyncWebhooksDisabledLink")}
            </Button>
          )
        }
      >
        <ul>
          {disabled.map((w) => (
            <li key={w.id}>
              <code>{w.url}</code>:{" "}
              {t(`ensyncWebhookDisabledReason-${w.disabledReason}`, { defaultValue: w.disabledReason })} (
              {formatTime(w.disabledAt)})
            </li>
          ))}
        </ul>
      </Alert>
    </PageSection>
  );
};
