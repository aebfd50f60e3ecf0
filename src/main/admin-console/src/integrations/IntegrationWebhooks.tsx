import { useConfirmDialog } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  ButtonVariant,
  Checkbox,
  Form,
  FormGroup,
  FormHelperText,
  FormSelect,
  FormSelectOption,
  Grid,
  GridItem,
  HelperText,
  HelperTextItem,
  Label,
  LabelGroup,
  Modal,
  ModalVariant,
  PageSection,
  Switch,
  TextArea,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Loaded, useEnsyncApi } from "../api";
import { Empty, LoadError, Loading, modalActions, SecretOnceModal, StatusLabel, useNotices } from "../components";
import { EVENT_TYPES, formatTime, Webhook } from "../model";
import { WebhookDeliveries } from "./WebhookDeliveries";

type Props = {
  integrationId: string;
  webhooks: Loaded<Webhook[]>;
  readOnly: boolean;
  notices: ReturnType<typeof useNotices>;
};

/** How long a rotated secret keeps signing beside the new one (the API's default is 24 hours). */
const OVERLAPS = [
  { seconds: 86400, label: "ensyncOverlapDay" },
  { seconds: 3600, label: "ensyncOverlapHour" },
  { seconds: 604800, label: "ensyncOverlapWeek" },
  { seconds: 0, label: "ensyncOverlapNone" },
] as const;

/**
 * Webhooks: an integration's endpoints (URL, event types, enabled or disabled and why), their signing secrets (shown
 * once, on creation and rotation), a test event, and each endpoint's delivery log with replay.
 */
export const IntegrationWebhooks = ({ integrationId, webhooks, readOnly, notices }: Props) => {
  const { t } = useTranslation();
  const api = useEnsyncApi();
  const base = `/integrations/${integrationId}/webhooks`;
  const [editing, setEditing] = useState<Webhook | "new">();
  const [secret, setSecret] = useState<{ title: string; value: string }>();
  const [target, setTarget] = useState<Webhook>();
  const [overlap, setOverlap] = useState<number>(OVERLAPS[0].seconds);
  // The endpoint whose delivery log is open, and a counter that reloads it after a test event.
  const [logOf, setLogOf] = useState<string>();
  const [logGeneration, setLogGeneration] = useState(0);

  const [confirmRotate, RotateDialog] = useConfirmDialog({
    titleKey: t("ensyncRotateWebhookTitle"),
    continueButtonLabel: "ensyncRotateSecret",
    continueButtonVariant: ButtonVariant.danger,
    onConfirm: async () => {
      try {
        const rotated = await api.post<Webhook>(`${base}/${target!.id}/secret`, { overlapSeconds: overlap });
        setSecret({ title: t("ensyncWebhookSecretRotated"), value: rotated.secret! });
        webhooks.reload();
      } catch (error) {
        notices.failure(error);
      }
    },
    // The dialog shows its children only without a messageKey: the explanation is one of them.
    children: (
      <Form onSubmit={(e) => e.preventDefault()}>
        <p>{t("ensyncRotateWebhookBody")}</p>
        <FormGroup label={t("ensyncOverlap")} fieldId="ensync-webhook-overlap">
          <FormSelect
            id="ensync-webhook-overlap"
            data-testid="ensync-webhook-overlap"
            value={overlap}
            onChange={(_e, v) => setOverlap(Number(v))}
          >
            {OVERLAPS.map((o) => (
              <FormSelectOption key={o.seconds} value={o.seconds} label={t(o.label)} />
            ))}
          </FormSelect>
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("ensyncOverlapHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
      </Form>
    ),
  });
  const [confirmDelete, DeleteDialog] = useConfirmDialog({
    titleKey: t("ensyncDeleteWebhookTitle", { url: target?.url }),
    messageKey: t("ensyncDeleteWebhookBody"),
    continueButtonLabel: "delete",
    continueButtonVariant: ButtonVariant.danger,
    onConfirm: async () => {
      try {
        await api.delete(`${base}/${target!.id}`);
        notices.success(t("ensyncWebhookDeleted"));
        if (logOf === target!.id) setLogOf(undefined);
        webhooks.reload();
      } catch (error) {
        notices.failure(error);
      }
    },
  });

  const sendTest = async (webhook: Webhook) => {
    try {
      await api.post(`${base}/${webhook.id}/test`);
      notices.success(t("ensyncTestEventQueued"));
      setLogOf(webhook.id);
      setLogGeneration((g) => g + 1);
    } catch (error) {
      notices.failure(error);
    }
  };

  const setEnabled = async (webhook: Webhook, enabled: boolean) => {
    try {
      await api.put(`${base}/${webhook.id}`, { enabled });
      notices.success(t(enabled ? "ensyncWebhookEnabled" : "ensyncWebhookDisabled"));
      webhooks.reload();
    } catch (error) {
      notices.failure(error);
    }
  };

  if (webhooks.error) return <LoadError error={webhooks.error} />;
  if (!webhooks.data) return <Loading />;
  const open = webhooks.data.find((w) => w.id === logOf);

  const addButton = !readOnly && (
    <Button data-testid="ensync-add-webhook" onClick={() => setEditing("new")}>
      {t("ensyncAddWebhook")}
    </Button>
  );

  return (
    <PageSection variant="light" className="pf-v5-u-p-0">
      <RotateDialog />
      <DeleteDialog />
      {editing && (
        <WebhookModal
          webhook={editing === "new" ? undefined : editing}
          onClose={() => setEditing(undefined)}
          onSave={async (change) => {
            try {
              if (editing === "new") {
                const created = await api.post<Webhook>(base, change);
                setSecret({ title: t("ensyncWebhookCreated"), value: created.secret! });
              } else {
                await api.put(`${base}/${editing.id}`, change);
                notices.success(t("ensyncWebhookSaved"));
              }
              setEditing(undefined);
              webhooks.reload();
            } catch (error) {
              notices.failure(error);
            }
          }}
        />
      )}
      {secret && (
        <SecretOnceModal
          title={secret.title}
          secret={secret.value}
          warning={t("ensyncWebhookSecretOnce")}
          doneLabel={t("ensyncWebhookSecretStored")}
          onClose={() => setSecret(undefined)}
        />
      )}
      {webhooks.data.length === 0 ? (
        <Empty title={t("ensyncNoWebhooks")} body={t("ensyncNoWebhooksHelp")} action={addButton} />
      ) : (
        <>
          {addButton && (
            <Toolbar>
              <ToolbarContent>
                <ToolbarItem>{addButton}</ToolbarItem>
              </ToolbarContent>
            </Toolbar>
          )}
          <Table aria-label={t("ensyncWebhooks")} variant="compact" data-testid="ensync-webhooks">
            <Thead>
              <Tr>
                <Th>{t("ensyncWebhookUrl")}</Th>
                <Th>{t("ensyncEventTypes")}</Th>
                <Th>{t("status")}</Th>
                <Th>{t("ensyncCreated")}</Th>
                <Th screenReaderText={t("ensyncDeliveryLog")} />
                {!readOnly && <Th screenReaderText={t("actions")} />}
              </Tr>
            </Thead>
            <Tbody>
              {webhooks.data.map((webhook) => (
                <Tr key={webhook.id} data-testid="ensync-webhook-row" isRowSelected={webhook.id === logOf}>
                  <Td dataLabel={t("ensyncWebhookUrl")}>
                    <code>{webhook.url}</code>
                    {webhook.description && (
                      <div className="pf-v5-u-color-200 pf-v5-u-font-size-sm">{webhook.description}</div>
                    )}
                  </Td>
                  <Td dataLabel={t("ensyncEventTypes")}>
                    {webhook.eventTypes.length === 0 ? (
                      t("ensyncAllEvents")
                    ) : (
                      <LabelGroup numLabels={4}>
                        {webhook.eventTypes.map((type) => (
                          <Label key={type} isCompact>
                            {type}
                          </Label>
                        ))}
                      </LabelGroup>
                    )}
                  </Td>
                  <Td dataLabel={t("status")}>
                    <StatusLabel status={webhook.enabled ? "enabled" : "disabled"} />
                    {webhook.disabledReason && (
                      <div className="pf-v5-u-font-size-sm pf-v5-u-mt-xs" data-testid="ensync-webhook-disabled-reason">
                        {t(`ensyncWebhookDisabledReason-${webhook.disabledReason}`, {
                          defaultValue: webhook.disabledReason,
                        })}{" "}
                        ({formatTime(webhook.disabledAt)})
                      </div>
                    )}
                    {webhook.previousSecretValidUntil && (
                      <div className="pf-v5-u-color-200 pf-v5-u-font-size-sm pf-v5-u-mt-xs">
                        {t("ensyncPreviousSecretUntil", { time: formatTime(webhook.previousSecretValidUntil) })}
                      </div>
                    )}
                  </Td>
                  <Td dataLabel={t("ensyncCreated")}>{formatTime(webhook.createdAt)}</Td>
                  <Td>
                    <Button
                      variant="link"
                      isInline
                      data-testid="ensync-webhook-deliveries"
                      onClick={() => setLogOf(webhook.id === logOf ? undefined : webhook.id)}
                    >
                      {t("ensyncDeliveryLog")}
                    </Button>
                  </Td>
                  {!readOnly && (
                    <Td isActionCell>
                      <ActionsColumn
                        items={[
                          { title: t("ensyncSendTestEvent"), onClick: () => sendTest(webhook) },
                          { title: t("edit"), onClick: () => setEditing(webhook) },
                          {
                            title: t(webhook.enabled ? "ensyncDisable" : "ensyncEnable"),
                            onClick: () => setEnabled(webhook, !webhook.enabled),
                          },
                          {
                            title: t("ensyncRotateSecret"),
                            onClick: () => {
                              setTarget(webhook);
                              setOverlap(OVERLAPS[0].seconds);
                              confirmRotate();
                            },
                          },
                          { isSeparator: true },
                          {
                            title: t("delete"),
                            onClick: () => {
                              setTarget(webhook);
                              confirmDelete();
                            },
                          },
                        ]}
                      />
                    </Td>
                  )}
                </Tr>
              ))}
            </Tbody>
          </Table>
        </>
      )}
      {open && (
        <WebhookDeliveries
          key={open.id}
          integrationId={integrationId}
          webhook={open}
          generation={logGeneration}
          readOnly={readOnly}
          notices={notices}
          onSettled={webhooks.reload}
        />
      )}
    </PageSection>
  );
};

type Change = { url: string; description?: string; eventTypes: string[]; enabled: boolean };

/**
 * Adds or edits an endpoint. Creating, an empty description is left out; editing, it is sent empty, which removes
 * the stored one (an empty optional field is no value, docs/api.md). No event type chosen means every type.
 */
const WebhookModal = ({
  webhook,
  onSave,
  onClose,
}: {
  webhook?: Webhook;
  onSave: (change: Change) => Promise<void>;
  onClose: () => void;
}) => {
  const { t } = useTranslation();
  const [url, setUrl] = useState(webhook?.url ?? "");
  const [description, setDescription] = useState(webhook?.description ?? "");
  const [eventTypes, setEventTypes] = useState<string[]>(webhook?.eventTypes ?? []);
  const [enabled, setEnabled] = useState(webhook?.enabled ?? true);
  const [busy, setBusy] = useState(false);

  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    const text = description.trim();
    await onSave({
      url: url.trim(),
      ...(webhook ? { description: text } : text ? { description: text } : {}),
      // In the catalogue's order, whatever order they were ticked in.
      eventTypes: EVENT_TYPES.filter((type) => eventTypes.includes(type)),
      enabled,
    });
    setBusy(false);
  };

  return (
    <Modal
      variant={ModalVariant.medium}
      title={t(webhook ? "ensyncEditWebhook" : "ensyncAddWebhook")}
      isOpen
      onClose={onClose}
      actions={modalActions(t("cancel"), onClose, {
        testId: "ensync-webhook-save",
        label: t(webhook ? "save" : "create"),
        disabled: !url.trim(),
        busy,
        onClick: () => submit(),
      })}
    >
      <Form id="ensync-webhook-form" onSubmit={submit}>
        <FormGroup label={t("ensyncWebhookUrl")} isRequired fieldId="ensync-webhook-url">
          <TextInput
            id="ensync-webhook-url"
            data-testid="ensync-webhook-url"
            type="url"
            value={url}
            maxLength={2048}
            placeholder="https://hooks.example.com/ensync"
            onChange={(_e, v) => setUrl(v)}
            autoFocus
          />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("ensyncWebhookUrlHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <FormGroup label={t("description")} fieldId="ensync-webhook-description">
          <TextArea
            id="ensync-webhook-description"
            value={description}
            maxLength={500}
            onChange={(_e, v) => setDescription(v)}
          />
        </FormGroup>
        <FormGroup label={t("ensyncEventTypes")} role="group" fieldId="ensync-webhook-events">
          <Grid hasGutter md={4}>
            {EVENT_TYPES.map((type) => (
              <GridItem key={type}>
                <Checkbox
                  id={"ensync-webhook-event-" + type}
                  label={<code>{type}</code>}
                  isChecked={eventTypes.includes(type)}
                  onChange={(_e, on) => setEventTypes((current) => (on ? [...current, type] : current.filter((c) => c !== type)))}
                />
              </GridItem>
            ))}
          </Grid>
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("ensyncEventTypesHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <FormGroup label={t("enabled")} fieldId="ensync-webhook-enabled">
          <Switch
            id="ensync-webhook-enabled"
            data-testid="ensync-webhook-enabled"
            isChecked={enabled}
            onChange={(_e, on) => setEnabled(on)}
            label={t("ensyncStatus-enabled")}
            labelOff={t("ensyncStatus-disabled")}
          />
        </FormGroup>
      </Form>
    </Modal>
  );
};
