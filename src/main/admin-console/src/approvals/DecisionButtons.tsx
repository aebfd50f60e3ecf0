import { Button } from "@patternfly/react-core";
import { useTranslation } from "react-i18next";

export const DecisionButtons = ({ onApprove, onDeny }: { onApprove: () => void; onDeny: () => void }) => {
  const { t } = useTranslation();
  return (
    <>
      <Button variant="secondary" size="sm" data-testid="ensync-approve" onClick={onApprove}>
        {t("ensyncApprove")}
      </Button>{" "}
      <Button variant="link" isDanger size="sm" data-testid="ensync-deny" onClick={onDeny}>
        {t("ensyncDeny")}
      </Button>
    </>
  );
};

export const RevokeButton = ({ onRevoke }: { onRevoke: () => void }) => {
  const { t } = useTranslation();
  return (
    <Button variant="link" isDanger size="sm" data-testid="ensync-revoke" onClick={onRevoke}>
      {t("ensyncRevoke")}
    </Button>
  );
};
