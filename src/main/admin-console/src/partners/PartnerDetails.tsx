import { useAdminClient, useConfirmDialog, useRealm } from "@keycloak/keycloak-admin-ui";
import {
  ButtonVariant,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Label,
  LabelGroup,
  PageSection,
  Title,
} from "@patternfly/react-core";
import { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useParams } from "react-router-dom";
import { useEnsyncApi, useLoad } from "../api";
import { DecisionButtons, RevokeButton } from "../approvals/DecisionButtons";
import { PromotionsTable } from "../approvals/PromotionsTable";
import { useDecisions } from "../approvals/useDecisions";
import { AuditBanner, LoadError, Loading, StatusLabel, useCanManage, useNotices } from "../components";
import { DetailHeader, HeaderAction } from "../layout/DetailHeader";
import { formatTime, Grant, Integration, Partner, Promotion } from "../model";
import { toIntegration } from "../routes";
import { EnvironmentsTable, GrantsTable, HistoryTable } from "./PartnerTables";

type Details = { partner: Partner; integration?: Integration; grants: Grant[]; promotions: Promotion[] };

/** One partner: what it is, its clients per environment, its grants and requests, and its audit trail. */
export default function PartnerDetails() {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const { id } = useParams<{ id: string }>();
  const api = useEnsyncApi();
  const { adminClient } = useAdminClient();
  const navigate = useNavigate();
  const canManage = useCanManage();
  const notices = useNotices();

  const details = useLoad(async (): Promise<Details> => {
    const partner = await api.get<Partner>(`/partners/${id}`);
    const [integration, grants, promotions] = await Promise.all([
      api.get<Integration>(`/integrations/${partner.integrationId}`).catch(() => undefined),
      api.get<Grant[]>(`/grants?partner=${id}&max=500`),
      api.get<Promotion[]>(`/promotions?partner=${id}&max=100`),
    ]);
    return { partner, integration, grants, promotions };
  }, [api, id]);
  const decisions = useDecisions(notices, details.reload);

  const act = async (action: "suspend" | "resume") => {
    try {
      await api.post(`/partners/${id}/${action}`);
      notices.success(t(action === "suspend" ? "ensyncPartnerSuspended" : "ensyncPartnerResumed"));
      details.reload();
    } catch (error) {
      notices.failure(error);
    }
  };
  const [confirmOffboard, OffboardDialog] = useConfirmDialog({
    titleKey: "ensyncOffboardTitle",
    messageKey: "ensyncOffboardBody",
    continueButtonLabel: "ensyncOffboard",
    continueButtonVariant: ButtonVariant.danger,
    onConfirm: async () => {
      try {
        await api.delete(`/partners/${id}`);
        notices.success(t("ensyncPartnerOffboarded"));
        navigate(`/${encodeURIComponent(realm)}/ensync/partners`);
      } catch (error) {
        notices.failure(error);
      }
    },
  });

  if (details.error) return <LoadError error={details.error} />;
  if (!details.data) return <Loading />;
  const { partner, integration, grants, promotions } = details.data;

  const actions: HeaderAction[] = !canManage
    ? []
    : partner.status === "offboarded"
      ? []
      : [
          partner.status === "suspended"
            ? { key: "resume", title: t("ensyncResume"), onClick: () => act("resume") }
            : { key: "suspend", title: t("ensyncSuspend"), onClick: () => act("suspend") },
          { key: "offboard", title: t("ensyncOffboard"), danger: true, onClick: confirmOffboard },
        ];
  const metadata = Object.entries(partner.metadata ?? {}).filter(([key]) => key !== "tags");
  const tags = Array.isArray(partner.metadata?.tags) ? (partner.metadata!.tags as string[]) : [];
  const pendingPromotions = promotions.filter((p) => p.status === "pending");

  return (
    <>
      <DetailHeader
        title={partner.appName ?? partner.id}
        badge={<StatusLabel status={partner.status} />}
        description={partner.appDescription}
        actions={actions}
      />
      <AuditBanner />
      {notices.view}
      {decisions.dialog}
      <OffboardDialog />
      <PageSection variant="light">
        <DescriptionList isHorizontal columnModifier={{ lg: "2Col" }} data-testid="ensync-partner-details">
          <Term label={t("ensyncPartnerId")}>
            <code>{partner.id}</code>
          </Term>
          <Term label={t("ensyncIntegration")}>
            <Link to={toIntegration(realm, partner.integrationId)}>{integration?.name ?? partner.integrationId}</Link>
          </Term>
          <Term label={t("ensyncStage")}>{partner.stage}</Term>
          <Term label={t("ensyncCreated")}>{formatTime(partner.createdAt)}</Term>
          <Term label={t("ensyncOnboarded")}>{formatTime(partner.onboardedAt)}</Term>
          <Term label={t("ensyncTags")}>
            <LabelGroup>
              {tags.map((tag) => (
                <Label key={tag} isCompact>
                  {tag}
                </Label>
              ))}
            </LabelGroup>
          </Term>
          {metadata.map(([key, value]) => (
            <Term key={key} label={key}>
              {typeof value === "string" ? value : JSON.stringify(value)}
            </Term>
          ))}
        </DescriptionList>

        <Title headingLevel="h2" className="pf-v5-u-mt-xl pf-v5-u-mb-sm">
          {t("ensyncEnvironments")}
        </Title>
        <EnvironmentsTable partner={partner} findClient={(clientId) => adminClient.clients.find({ clientId, max: 1 })} />

        {pendingPromotions.length > 0 && (
          <>
            <Title headingLevel="h2" className="pf-v5-u-mt-xl pf-v5-u-mb-sm">
              {t("ensyncPendingPromotions")}
            </Title>
            <PromotionsTable
              testId="ensync-partner-promotions"
              promotions={pendingPromotions}
              decide={(promotion) =>
                canManage && (
                  <DecisionButtons
                    onApprove={() => decisions.approve("promotions", promotion.id)}
                    onDeny={() => decisions.deny("promotions", promotion.id)}
                  />
                )
              }
            />
          </>
        )}

        <Title headingLevel="h2" className="pf-v5-u-mt-xl pf-v5-u-mb-sm">
          {t("ensyncGrants")}
        </Title>
        <GrantsTable
          grants={grants}
          decide={(grant) =>
            canManage &&
            (grant.status === "pending" ? (
              <DecisionButtons
                onApprove={() => decisions.approve("grants", grant.id)}
                onDeny={() => decisions.deny("grants", grant.id)}
              />
            ) : grant.status === "approved" ? (
              <RevokeButton onRevoke={() => decisions.revokeGrant(grant.id)} />
            ) : null)
          }
        />

        <Title headingLevel="h2" className="pf-v5-u-mt-xl pf-v5-u-mb-sm">
          {t("ensyncHistory")}
        </Title>
        <HistoryTable
          partnerId={partner.id}
          load={() =>
            adminClient.realms.findAdminEvents({ realm, resourcePath: `ensync/partners/${partner.id}*`, max: 50 })
          }
        />
      </PageSection>
    </>
  );
}

const Term = ({ label, children }: { label: string; children: ReactNode }) => (
  <DescriptionListGroup>
    <DescriptionListTerm>{label}</DescriptionListTerm>
    <DescriptionListDescription>{children}</DescriptionListDescription>
  </DescriptionListGroup>
);
