import { useAccess, useRealm } from "@keycloak/keycloak-admin-ui";
import {
  Alert,
  AlertActionCloseButton,
  AlertGroup,
  Button,
  ClipboardCopy,
  EmptyState,
  EmptyStateBody,
  EmptyStateHeader,
  Label,
  Modal,
  ModalVariant,
  PageSection,
  Pagination,
  Spinner,
  TextArea,
  FormGroup,
  Form,
  Checkbox,
  ToolbarItem,
} from "@patternfly/react-core";
import { ReactNode, useCallback, useState } from "react";
import { ENVIRONMENTS, EnvironmentName } from "./model";
import { useTranslation } from "react-i18next";
import { Link } from "react-router-dom";

/** Changes need `manage-clients`, reads `view-clients` (SPEC §4); a view-only admin gets every page without actions. */
export const useCanManage = () => useAccess().hasAccess("manage-clients");

/** SPEC §9: without stored admin events the audit trail is lost, and the admin is told so plainly. */
export const AuditBanner = () => {
  const { t } = useTranslation();
  const { realm, realmRepresentation } = useRealm();
  // Admins without view-realm get a reduced realm without this flag: no warning on a guess.
  if (realmRepresentation?.adminEventsEnabled !== false) {
    return null;
  }
  return (
    <PageSection variant="light" className="pf-v5-u-pt-0" data-testid="ensync-audit-banner">
      <Alert
        variant="warning"
        isInline
        title={t("ensyncAuditOffTitle")}
        actionLinks={
          <Link to={`/${encodeURIComponent(realm)}/realm-settings/events`}>{t("ensyncAuditOffLink")}</Link>
        }
      >
        {t("ensyncAuditOffBody")}
      </Alert>
    </PageSection>
  );
};

type Notice = { key: number; variant: "success" | "danger"; title: string };

/** Toast messages for a page: the outcome of each action, errors with the server's own message. */
export const useNotices = () => {
  const [notices, setNotices] = useState<Notice[]>([]);
  const add = useCallback((variant: Notice["variant"], title: string) => {
    setNotices((current) => [...current, { key: Date.now() + Math.random(), variant, title }]);
  }, []);
  const remove = (key: number) => setNotices((current) => current.filter((n) => n.key !== key));
  const view = (
    <AlertGroup isToast isLiveRegion>
      {notices.map((n) => (
        <Alert
          key={n.key}
          variant={n.variant}
          title={n.title}
          timeout={8000}
          onTimeout={() => remove(n.key)}
          actionClose={<AlertActionCloseButton onClose={() => remove(n.key)} />}
        />
      ))}
    </AlertGroup>
  );
  return {
    view,
    success: (title: string) => add("success", title),
    failure: (error: unknown) => add("danger", error instanceof Error ? error.message : String(error)),
  };
};

/**
 * A secret the server shows once (an Integration Key, a webhook signing secret): copy it now, it cannot be read again.
 * The warning and the closing button say what the secret is; by default, an Integration Key's.
 */
export const SecretOnceModal = ({
  title,
  secret,
  onClose,
  warning,
  doneLabel,
}: {
  title: string;
  secret: string;
  onClose: () => void;
  warning?: string;
  doneLabel?: string;
}) => {
  const { t } = useTranslation();
  return (
    <Modal
      variant={ModalVariant.medium}
      title={title}
      isOpen
      onClose={onClose}
      actions={[
        <Button key="done" data-testid="ensync-secret-done" onClick={onClose}>
          {doneLabel ?? t("ensyncKeyStored")}
        </Button>,
      ]}
    >
      <Alert variant="warning" isInline isPlain title={warning ?? t("ensyncKeyOnce")} className="pf-v5-u-mb-md" />
      <ClipboardCopy isReadOnly data-testid="ensync-secret-value" hoverTip={t("copy")} clickTip={t("copied")}>
        {secret}
      </ClipboardCopy>
    </Modal>
  );
};

/** Asks for an optional reason before denying a request; the reason is kept with the decision and audited. */
/** A modal's two actions: its confirm button (disabled while it cannot act or is busy) and cancel. */
export const modalActions = (
  cancel: string,
  onClose: () => void,
  confirm: { testId: string; label: string; onClick: () => void; disabled?: boolean; busy?: boolean; variant?: "primary" | "danger" },
) => [
  <Button
    key="confirm"
    variant={confirm.variant ?? "primary"}
    data-testid={confirm.testId}
    isDisabled={confirm.disabled || confirm.busy}
    isLoading={confirm.busy}
    onClick={confirm.onClick}
  >
    {confirm.label}
  </Button>,
  <Button key="cancel" variant="link" onClick={onClose}>
    {cancel}
  </Button>,
];

/**
 * Paging of a list read with {@code max + 1} rows (the extra row says whether there is a next page): the API counts
 * no totals, so the count is what is known.
 */
export const ListPagination = ({ first, max, shown, fetched, onChange }: {
  first: number;
  max: number;
  shown: number;
  fetched: number;
  onChange: (first: number, max: number) => void;
}) => (
  <ToolbarItem variant="pagination">
    <Pagination
      isCompact
      itemCount={first + shown + (fetched > max ? 1 : 0)}
      page={Math.floor(first / max) + 1}
      perPage={max}
      toggleTemplate={({ firstIndex, lastIndex }) => (
        <b>
          {firstIndex} - {lastIndex}
        </b>
      )}
      onSetPage={(_e, page) => onChange((page - 1) * max, max)}
      onPerPageSelect={(_e, perPage) => onChange(0, perPage)}
    />
  </ToolbarItem>
);

export const DenyModal = ({ onDeny, onClose }: { onDeny: (reason: string) => void; onClose: () => void }) => {
  const { t } = useTranslation();
  const [reason, setReason] = useState("");
  return (
    <Modal
      variant={ModalVariant.small}
      title={t("ensyncDenyTitle")}
      isOpen
      onClose={onClose}
      actions={modalActions(t("cancel"), onClose, {
        testId: "ensync-deny-confirm",
        label: t("ensyncDeny"),
        variant: "danger",
        onClick: () => onDeny(reason.trim()),
      })}
    >
      <Form onSubmit={(e) => e.preventDefault()}>
        <FormGroup label={t("ensyncReason")} fieldId="ensync-deny-reason">
          <TextArea id="ensync-deny-reason" value={reason} maxLength={500} onChange={(_e, v) => setReason(v)} />
        </FormGroup>
      </Form>
    </Modal>
  );
};

export const Loading = () => (
  <PageSection variant="light">
    <Spinner aria-label="Loading" />
  </PageSection>
);

export const LoadError = ({ error }: { error: Error }) => (
  <PageSection variant="light">
    <Alert variant="danger" isInline title={error.message} />
  </PageSection>
);

export const Empty = ({ title, body, action }: { title: string; body?: string; action?: ReactNode }) => (
  <EmptyState variant="sm">
    <EmptyStateHeader titleText={title} headingLevel="h2" />
    {body && <EmptyStateBody>{body}</EmptyStateBody>}
    {action}
  </EmptyState>
);

/** A loaded list as a page shows it: its load error, a spinner, its empty state, or (with rows) its table. */
export const LoadedList = ({ loaded, rows, empty, children }: { loaded: { data?: unknown; error?: Error }; rows: number; empty: ReactNode; children: ReactNode }) =>
  loaded.error ? <LoadError error={loaded.error} /> : !loaded.data ? <Loading /> : rows === 0 ? empty : children;

const statusColors: Record<string, "green" | "orange" | "red" | "grey" | "blue"> = {
  active: "green",
  approved: "green",
  enabled: "green",
  invited: "blue",
  pending: "orange",
  suspended: "orange",
  denied: "red",
  revoked: "red",
  offboarded: "grey",
  withdrawn: "grey",
  disabled: "grey",
  delivered: "green",
  failed: "red",
};

export const StatusLabel = ({ status }: { status: string }) => {
  const { t } = useTranslation();
  return (
    <Label color={statusColors[status] ?? "grey"} data-testid="ensync-status">
      {t("ensyncStatus-" + status, { defaultValue: status })}
    </Label>
  );
};

/** One checkbox per environment, in the environments' order; the chosen ones are kept in that order too. */
export const EnvironmentCheckboxes = ({
  idPrefix,
  value,
  onChange,
  isDisabled = false,
}: {
  idPrefix: string;
  value: EnvironmentName[];
  onChange: (value: EnvironmentName[]) => void;
  isDisabled?: boolean;
}) => (
  <>
    {ENVIRONMENTS.map((env) => (
      <Checkbox
        key={env}
        id={idPrefix + env}
        label={env}
        isChecked={value.includes(env)}
        isDisabled={isDisabled}
        onChange={(_e, on) => onChange(ENVIRONMENTS.filter((e) => (e === env ? on : value.includes(e))))}
      />
    ))}
  </>
);
