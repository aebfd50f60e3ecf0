import { useRealm, ViewHeader } from "@keycloak/keycloak-admin-ui";
import { PageSection, Title } from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";
import { useEnsyncApi, useLoad } from "../api";
import { AuditBanner, Empty, LoadError, Loading, useCanManage, useNotices } from "../components";
import { AccessRequest, formatTime, Grant, Integration, Partner, Promotion } from "../model";
import { toIntegration, toPartner } from "../routes";
import { AccessRequestsTable } from "./AccessRequestsTable";
import { DecisionButtons } from "./DecisionButtons";
import { PromotionsTable } from "./PromotionsTable";
import { useDecisions } from "./useDecisions";

type Pending = {
  grants: Grant[];
  promotions: Promotion[];
  accessRequests: AccessRequest[];
  integrations: Map<string, Integration>;
  partners: Map<string, Partner>;
};

/** Every pending grant and promotion request of the realm on one page, each decided with a click. */
export default function ApprovalsSection() {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const api = useEnsyncApi();
  const canManage = useCanManage();
  const notices = useNotices();
  const pending = useLoad(async (): Promise<Pending> => {
    const [grants, promotions, accessRequests, integrations] = await Promise.all([
      api.get<Grant[]>("/grants?status=pending&max=500"),
      api.get<Promotion[]>("/promotions?status=pending&max=500"),
      api.get<AccessRequest[]>("/access-requests?status=pending&max=500"),
      api.get<Integration[]>("/integrations?max=500"),
    ]);
    const ids = [...new Set([...grants, ...promotions].map((r) => r.partnerId))];
    // One partner that cannot be read (deleted with its integration) must not take the whole page down: its rows
    // show the id instead of the name.
    const partners = await Promise.allSettled(ids.map((id) => api.get<Partner>(`/partners/${id}`)));
    const found = partners.flatMap((p) => (p.status === "fulfilled" ? [p.value] : []));
    return {
      grants,
      promotions,
      accessRequests,
      integrations: new Map(integrations.map((i) => [i.id, i])),
      partners: new Map(found.map((p) => [p.id, p])),
    };
  }, [api]);
  const decisions = useDecisions(notices, pending.reload);

  if (pending.error) return <LoadError error={pending.error} />;

  const partnerLink = (id: string) => (
    <Link to={toPartner(realm, id)}>{pending.data?.partners.get(id)?.appName ?? id}</Link>
  );

  return (
    <>
      <ViewHeader titleKey="ensyncApprovals" subKey={t("ensyncApprovalsHelp")} />
      <AuditBanner />
      {notices.view}
      {decisions.dialog}
      {!pending.data ? (
        <Loading />
      ) : (
        <PageSection variant="light">
          <Title headingLevel="h2" className="pf-v5-u-mb-sm">
            {t("ensyncPendingAccessRequests")}
          </Title>
          {pending.data.accessRequests.length === 0 ? (
            <Empty title={t("ensyncNothingPending")} body={t("ensyncNoAccessRequestsHelp")} />
          ) : (
            <AccessRequestsTable
              requests={pending.data.accessRequests}
              integration={(id) => (
                <Link to={toIntegration(realm, id)}>{pending.data?.integrations.get(id)?.name ?? id}</Link>
              )}
              decide={(request) =>
                canManage && (
                  <DecisionButtons
                    onApprove={() => decisions.approve("access-requests", request.id)}
                    onDeny={() => decisions.deny("access-requests", request.id)}
                  />
                )
              }
            />
          )}
          <Title headingLevel="h2" className="pf-v5-u-mt-xl pf-v5-u-mb-sm">
            {t("ensyncPendingGrants")}
          </Title>
          {pending.data.grants.length === 0 ? (
            <Empty title={t("ensyncNothingPending")} body={t("ensyncNothingPendingHelp")} />
          ) : (
            <Table aria-label={t("ensyncPendingGrants")} variant="compact" data-testid="ensync-pending-grants">
              <Thead>
                <Tr>
                  <Th>{t("ensyncPartner")}</Th>
                  <Th>{t("ensyncEnvironment")}</Th>
                  <Th>{t("ensyncTopic")}</Th>
                  <Th>{t("ensyncScopes")}</Th>
                  <Th>{t("ensyncRequested")}</Th>
                  {canManage && <Th screenReaderText={t("actions")} />}
                </Tr>
              </Thead>
              <Tbody>
                {pending.data.grants.map((grant) => (
                  <Tr key={grant.id}>
                    <Td dataLabel={t("ensyncPartner")}>{partnerLink(grant.partnerId)}</Td>
                    <Td dataLabel={t("ensyncEnvironment")}>{grant.environment}</Td>
                    <Td dataLabel={t("ensyncTopic")}>
                      <code>{grant.topic}</code>
                    </Td>
                    <Td dataLabel={t("ensyncScopes")}>{grant.scopes.join(", ")}</Td>
                    <Td dataLabel={t("ensyncRequested")}>{formatTime(grant.requestedAt)}</Td>
                    {canManage && (
                      <Td isActionCell>
                        <DecisionButtons
                          onApprove={() => decisions.approve("grants", grant.id)}
                          onDeny={() => decisions.deny("grants", grant.id)}
                        />
                      </Td>
                    )}
                  </Tr>
                ))}
              </Tbody>
            </Table>
          )}
          <Title headingLevel="h2" className="pf-v5-u-mt-xl pf-v5-u-mb-sm">
            {t("ensyncPendingPromotions")}
          </Title>
          {pending.data.promotions.length === 0 ? (
            <Empty title={t("ensyncNothingPending")} body={t("ensyncNothingPendingHelp")} />
          ) : (
            <PromotionsTable
              testId="ensync-pending-promotions"
              promotions={pending.data.promotions}
              partner={partnerLink}
              decide={(promotion) =>
                canManage && (
                  <DecisionButtons
                    onApprove={() => decisions.approve("promotions", promotion.id)}
                    onDeny={() => decisions.deny("promotions", promotion.id)}
                  />
                )
              }
            />
          )}
        </PageSection>
      )}
    </>
  );
}
