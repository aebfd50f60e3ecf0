import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { AccessRequest, formatTime } from "../model";

type Props = {
  requests: AccessRequest[];
  /** The integration column: a link to the integration asked to join. */
  integration: (integrationId: string) => ReactNode;
  /** The approve and deny buttons of a row, or nothing for a view-only admin. */
  decide: (request: AccessRequest) => ReactNode;
};

/** Verified access requests waiting for a decision: who asks (app, contact, answers), to join which integration. */
export const AccessRequestsTable = ({ requests, integration, decide }: Props) => {
  const { t } = useTranslation();
  return (
    <Table aria-label={t("ensyncPendingAccessRequests")} variant="compact" data-testid="ensync-pending-access-requests">
      <Thead>
        <Tr>
          <Th>{t("ensyncApplication")}</Th>
          <Th>{t("ensyncIntegration")}</Th>
          <Th>{t("ensyncContact")}</Th>
          <Th>{t("ensyncVerified")}</Th>
          <Th screenReaderText={t("actions")} />
        </Tr>
      </Thead>
      <Tbody>
        {requests.map((request) => (
          <Tr key={request.id} data-testid="ensync-access-request">
            <Td dataLabel={t("ensyncApplication")}>
              <strong data-testid="ensync-access-request-app">{request.appName}</strong>
              {request.appDescription && <div className="pf-v5-u-color-200">{request.appDescription}</div>}
              {Object.entries(request.fields).map(([key, value]) => (
                <div key={key} className="pf-v5-u-font-size-sm">
                  {key}: {value}
                </div>
              ))}
            </Td>
            <Td dataLabel={t("ensyncIntegration")}>{integration(request.integrationId)}</Td>
            <Td dataLabel={t("ensyncContact")}>{request.contactEmail}</Td>
            <Td dataLabel={t("ensyncVerified")}>{formatTime(request.verifiedAt)}</Td>
            <Td isActionCell>{decide(request)}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
