import { useRealm, ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  Button,
  Form,
  FormGroup,
  Label,
  LabelGroup,
  Modal,
  ModalVariant,
  PageSection,
  TextArea,
  TextInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router-dom";
import { useEnsyncApi, useLoad } from "../api";
import {
  AuditBanner,
  Empty,
  LoadError,
  Loading,
  modalActions,
  SecretOnceModal,
  StatusLabel,
  useCanManage,
  useNotices,
} from "../components";
import { formatTime, Integration } from "../model";
import { toIntegration } from "../routes";
import { useDeleteIntegration } from "./useDeleteIntegration";

export default function IntegrationsSection() {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const api = useEnsyncApi();
  const navigate = useNavigate();
  const canManage = useCanManage();
  const notices = useNotices();
  const integrations = useLoad(() => api.get<Integration[]>("/integrations?max=500"), [api]);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<Integration>();
  const [confirmDelete, deleteDialog] = useDeleteIntegration(notices, integrations.reload);

  const createButton = canManage && (
    <Button data-testid="ensync-create-integration" onClick={() => setCreating(true)}>
      {t("ensyncCreateIntegration")}
    </Button>
  );

  return (
    <>
      <ViewHeader titleKey="ensyncIntegrations" subKey={t("ensyncIntegrationsHelp")} />
      <AuditBanner />
      {notices.view}
      {deleteDialog}
      {creating && (
        <CreateIntegrationModal
          onClose={() => setCreating(false)}
          onCreate={async (name, description) => {
            try {
              // An optional field left empty is left out (docs/api.md: absent and blank both mean "no value").
              const integration = await api.post<Integration>("/integrations", {
                name,
                ...(description ? { description } : {}),
              });
              setCreating(false);
              setCreated(integration);
            } catch (error) {
              notices.failure(error);
            }
          }}
        />
      )}
      {created?.key && (
        <SecretOnceModal
          title={t("ensyncIntegrationCreated", { name: created.name })}
          secret={created.key}
          onClose={() => navigate(toIntegration(realm, created.id))}
        />
      )}
      <PageSection variant="light" className="pf-v5-u-p-0">
        {integrations.loading && !integrations.data ? (
          <Loading />
        ) : integrations.error ? (
          <LoadError error={integrations.error} />
        ) : integrations.data!.length === 0 ? (
          <Empty title={t("ensyncNoIntegrations")} body={t("ensyncNoIntegrationsHelp")} action={createButton} />
        ) : (
          <>
            <Toolbar>
              <ToolbarContent>{createButton && <ToolbarItem>{createButton}</ToolbarItem>}</ToolbarContent>
            </Toolbar>
            <Table aria-label={t("ensyncIntegrations")} variant="compact" data-testid="ensync-integrations">
              <Thead>
                <Tr>
                  <Th>{t("name")}</Th>
                  <Th>{t("ensyncEnvironments")}</Th>
                  <Th>{t("ensyncTopics")}</Th>
                  <Th>{t("status")}</Th>
                  <Th>{t("ensyncCreated")}</Th>
                  {canManage && <Th screenReaderText={t("actions")} />}
                </Tr>
              </Thead>
              <Tbody>
                {integrations.data!.map((integration) => (
                  <Tr key={integration.id}>
                    <Td dataLabel={t("name")}>
                      <Link to={toIntegration(realm, integration.id)}>{integration.name}</Link>
                      {integration.description && (
                        <div className="pf-v5-u-color-200 pf-v5-u-font-size-sm">{integration.description}</div>
                      )}
                    </Td>
                    <Td dataLabel={t("ensyncEnvironments")}>
                      <LabelGroup>
                        {integration.environments.map((env) => (
                          <Label key={env} isCompact>
                            {env}
                          </Label>
                        ))}
                      </LabelGroup>
                    </Td>
                    <Td dataLabel={t("ensyncTopics")}>{integration.topics.length}</Td>
                    <Td dataLabel={t("status")}>
                      <StatusLabel status={integration.enabled ? "enabled" : "disabled"} />
                    </Td>
                    <Td dataLabel={t("ensyncCreated")}>{formatTime(integration.createdAt)}</Td>
                    {canManage && (
                      <Td isActionCell>
                        <ActionsColumn
                          items={[
                            { title: t("delete"), onClick: () => confirmDelete(integration) },
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
      </PageSection>
    </>
  );
}

const CreateIntegrationModal = ({
  onCreate,
  onClose,
}: {
  onCreate: (name: string, description: string) => Promise<void>;
  onClose: () => void;
}) => {
  const { t } = useTranslation();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [busy, setBusy] = useState(false);
  const submit = async (event?: FormEvent) => {
    event?.preventDefault();
    setBusy(true);
    await onCreate(name.trim(), description.trim());
    setBusy(false);
  };
  return (
    <Modal
      variant={ModalVariant.small}
      title={t("ensyncCreateIntegration")}
      isOpen
      onClose={onClose}
      actions={modalActions(t("cancel"), onClose, {
        testId: "ensync-create-confirm",
        label: t("create"),
        disabled: !name.trim(),
        busy,
        onClick: () => submit(),
      })}
    >
      <Form id="ensync-create-integration" onSubmit={submit}>
        <FormGroup label={t("name")} isRequired fieldId="ensync-integration-name">
          <TextInput
            id="ensync-integration-name"
            data-testid="ensync-integration-name"
            value={name}
            maxLength={100}
            onChange={(_e, v) => setName(v)}
            autoFocus
          />
        </FormGroup>
        <FormGroup label={t("description")} fieldId="ensync-integration-description">
          <TextArea
            id="ensync-integration-description"
            value={description}
            maxLength={1000}
            onChange={(_e, v) => setDescription(v)}
          />
        </FormGroup>
      </Form>
    </Modal>
  );
};
