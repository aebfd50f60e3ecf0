import { useState } from "react";
import { useTranslation } from "react-i18next";
import { useEnsyncApi } from "../api";
import { DenyModal, useNotices } from "../components";

type Kind = "grants" | "promotions" | "access-requests";

/**
 * Approve and deny for grant, promotion and access requests, used by the approvals page and a partner's page alike:
 * a denial asks for a reason first; every outcome is reported and the page reloads.
 */
export function useDecisions(notices: ReturnType<typeof useNotices>, onDecided: () => void) {
  const { t } = useTranslation();
  const api = useEnsyncApi();
  const [denying, setDenying] = useState<{ kind: Kind; id: string }>();

  const decide = async (kind: Kind, id: string, action: "approve" | "deny", body?: object) => {
    try {
      await api.post(`/${kind}/${id}/${action}`, body);
      notices.success(t(action === "approve" ? "ensyncApproved" : "ensyncDenied"));
      onDecided();
    } catch (error) {
      notices.failure(error);
    }
  };

  const dialog = denying && (
    <DenyModal
      onClose={() => setDenying(undefined)}
      onDeny={(reason) => {
        setDenying(undefined);
        void decide(denying.kind, denying.id, "deny", reason ? { reason } : {});
      }}
    />
  );

  return {
    dialog,
    approve: (kind: Kind, id: string) => decide(kind, id, "approve"),
    deny: (kind: Kind, id: string) => setDenying({ kind, id }),
    revokeGrant: async (id: string) => {
      try {
        await api.delete(`/grants/${id}`);
        notices.success(t("ensyncGrantRevoked"));
        onDecided();
      } catch (error) {
        notices.failure(error);
      }
    },
  };
}
