import { useConfirmDialog } from "@keycloak/keycloak-admin-ui";
import { ButtonVariant } from "@patternfly/react-core";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useEnsyncApi } from "../api";
import { useNotices } from "../components";
import { Integration } from "../model";

/** Deleting an integration offboards its partners (their clients are removed), so it is always confirmed. */
export function useDeleteIntegration(notices: ReturnType<typeof useNotices>, onDeleted: () => void) {
  const { t } = useTranslation();
  const api = useEnsyncApi();
  const [target, setTarget] = useState<Integration>();
  const [toggle, Dialog] = useConfirmDialog({
    titleKey: t("ensyncDeleteIntegrationTitle", { name: target?.name }),
    messageKey: t("ensyncDeleteIntegrationBody"),
    continueButtonLabel: "delete",
    continueButtonVariant: ButtonVariant.danger,
    onConfirm: async () => {
      try {
        await api.delete(`/integrations/${target!.id}`);
        notices.success(t("ensyncIntegrationDeleted"));
        onDeleted();
      } catch (error) {
        notices.failure(error);
      }
    },
  });
  const confirm = (integration: Integration) => {
    setTarget(integration);
    toggle();
  };
  return [confirm, <Dialog key="delete-integration" />] as const;
}
