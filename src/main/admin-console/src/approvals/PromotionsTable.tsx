import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { formatTime, Promotion } from "../model";

type Props = {
  promotions: Promotion[];
  /** The approve and deny buttons of a row, or nothing for a view-only admin. */
  decide: (promotion: Promotion) => ReactNode;
  /** A partner column, where the table lists several partners' requests. */
  partner?: (partnerId: string) => ReactNode;
  testId: string;
};

/** Pending promotion requests: on the approvals page (with their partners) and on a partner's page. */
export const PromotionsTable = ({ promotions, decide, partner, testId }: Props) => {
  const { t } = useTranslation();
  return (
    <Table aria-label={t("ensyncPendingPromotions")} variant="compact" data-testid={testId}>
      <Thead>
        <Tr>
          {partner && <Th>{t("ensyncPartner")}</Th>}
          <Th>{t("ensyncPromotion")}</Th>
          <Th>{t("ensyncPromotionGrants")}</Th>
          <Th>{t("ensyncRequested")}</Th>
          <Th screenReaderText={t("actions")} />
        </Tr>
      </Thead>
      <Tbody>
        {promotions.map((promotion) => (
          <Tr key={promotion.id}>
            {partner && <Td dataLabel={t("ensyncPartner")}>{partner(promotion.partnerId)}</Td>}
            <Td dataLabel={t("ensyncPromotion")}>
              {promotion.from} → {promotion.to}
            </Td>
            <Td dataLabel={t("ensyncPromotionGrants")} data-testid="ensync-promotion-grants">
              {promotion.grants.length === 0
                ? t("ensyncPromotionNoGrants")
                : promotion.grants.map((g) => (
                    <div key={g.grantId}>
                      <code>{g.topic}</code> ({g.scopes.join(", ")})
                    </div>
                  ))}
            </Td>
            <Td dataLabel={t("ensyncRequested")}>{formatTime(promotion.requestedAt)}</Td>
            <Td isActionCell>{decide(promotion)}</Td>
          </Tr>
        ))}
      </Tbody>
    </Table>
  );
};
