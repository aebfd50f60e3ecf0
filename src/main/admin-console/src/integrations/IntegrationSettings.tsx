import {
  ActionGroup,
  Button,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  NumberInput,
  PageSection,
  Switch,
  TextArea,
  TextInput,
} from "@patternfly/react-core";
import { FormEvent, useState } from "react";
import { useRealm, useServerInfo } from "@keycloak/keycloak-admin-ui";
import { useTranslation } from "react-i18next";
import { EnvironmentCheckboxes } from "../components";
import { environment } from "../environment";
import { ENVIRONMENTS, EnvironmentName, Integration } from "../model";

type Props = { integration: Integration; readOnly: boolean; onSave: (change: Partial<Integration>) => Promise<void> };

const lines = (text: string) =>
  text
    .split("\n")
    .map((line) => line.trim())
    .filter(Boolean);

/**
 * Name, environments, link lifetime, embed origins, secret policy and the join page (access requests, slug, colour,
 * icon); the server validates and explains refusals. The join page's own questions are set through the API.
 */
export const IntegrationSettings = ({ integration, readOnly, onSave }: Props) => {
  const { t } = useTranslation();
  const [name, setName] = useState(integration.name);
  const [description, setDescription] = useState(integration.description ?? "");
  const [environments, setEnvironments] = useState<EnvironmentName[]>(integration.environments);
  const [linkTtlSeconds, setLinkTtl] = useState(integration.linkTtlSeconds);
  const [origins, setOrigins] = useState(integration.allowedEmbedOrigins.join("\n"));
  const [maxAgeDays, setMaxAgeDays] = useState<Record<string, number | undefined>>(integration.secretPolicy.maxAgeDays ?? {});
  const [grace, setGrace] = useState(integration.secretPolicy.rotationGraceSeconds ?? 0);
  const [maxGrants, setMaxGrants] = useState(integration.maxGrantsPerEnvironment ?? 200);
  const [accessRequests, setAccessRequests] = useState(integration.accessRequests === "approval");
  const [joinSlug, setJoinSlug] = useState(integration.joinSlug ?? "");
  const [color, setColor] = useState(integration.color ?? "");
  const [icon, setIcon] = useState(integration.icon ?? "");
  const { realm } = useRealm();
  const joinPage = `${environment.serverBaseUrl}/realms/${encodeURIComponent(realm)}/ensync/portal/join/${integration.joinSlug ?? integration.id}`;
  // Keycloak keeps a rotated secret only with its preview feature client-secret-rotation (SPEC §7).
  const { features } = useServerInfo();
  const graceAvailable = !!features?.some((f) => f.name === "CLIENT_SECRET_ROTATION" && f.enabled);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const days = Object.fromEntries(Object.entries(maxAgeDays).filter((entry): entry is [string, number] => entry[1] !== undefined && entry[1] > 0));
    await onSave({
      name: name.trim(),
      // Emptied, the description is sent blank: on an update that removes the stored one (docs/api.md).
      description: description.trim(),
      environments,
      linkTtlSeconds,
      allowedEmbedOrigins: lines(origins),
      secretPolicy: { maxAgeDays: days, rotationGraceSeconds: grace },
      maxGrantsPerEnvironment: maxGrants,
      accessRequests: accessRequests ? "approval" : "off",
      // Blank removes a stored value, as for the description.
      joinSlug: joinSlug.trim(),
      color: color.trim(),
      icon: icon.trim(),
    });
    setBusy(false);
  };

  return (
    <PageSection variant="light">
      <Form isHorizontal onSubmit={submit} data-testid="ensync-settings-form" style={{ maxWidth: "60rem" }}>
        <FormGroup label={t("name")} isRequired fieldId="ensync-name">
          <TextInput id="ensync-name" value={name} maxLength={100} isDisabled={readOnly} onChange={(_e, v) => setName(v)} />
        </FormGroup>
        <FormGroup label={t("description")} fieldId="ensync-description">
          <TextArea
            id="ensync-description"
            value={description}
            maxLength={1000}
            isDisabled={readOnly}
            onChange={(_e, v) => setDescription(v)}
          />
        </FormGroup>
        <FormGroup label={t("ensyncEnvironments")} role="group" isInline fieldId="ensync-environments">
          <EnvironmentCheckboxes
            idPrefix="ensync-env-"
            value={environments}
            onChange={setEnvironments}
            isDisabled={readOnly}
          />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("ensyncEnvironmentsHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <FormGroup label={t("ensyncLinkTtl")} fieldId="ensync-link-ttl">
          <NumberInput
            id="ensync-link-ttl"
            inputName="linkTtlSeconds"
            value={linkTtlSeconds}
            min={60}
            widthChars={8}
            isDisabled={readOnly}
            onMinus={() => setLinkTtl((v) => Math.max(60, v - 3600))}
            onPlus={() => setLinkTtl((v) => v + 3600)}
            onChange={(e) => setLinkTtl(Number((e.target as HTMLInputElement).value))}
            unit={t("ensyncSeconds")}
          />
        </FormGroup>
        <FormGroup label={t("ensyncEmbedOrigins")} fieldId="ensync-origins">
          <TextArea
            id="ensync-origins"
            value={origins}
            isDisabled={readOnly}
            placeholder="https://app.example.com"
            onChange={(_e, v) => setOrigins(v)}
          />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("ensyncEmbedOriginsHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
        {ENVIRONMENTS.map((env) => (
          <FormGroup key={env} label={t("ensyncMaxSecretAge", { env })} fieldId={"ensync-max-age-" + env}>
            <TextInput
              id={"ensync-max-age-" + env}
              type="number"
              min={0}
              value={maxAgeDays[env] ?? ""}
              isDisabled={readOnly}
              placeholder={t("ensyncNoLimit")}
              onChange={(_e, v) => setMaxAgeDays((m) => ({ ...m, [env]: v === "" ? undefined : Number(v) }))}
            />
          </FormGroup>
        ))}
        <FormGroup label={t("ensyncRotationGrace")} fieldId="ensync-grace">
          <TextInput
            id="ensync-grace"
            type="number"
            min={0}
            value={grace}
            isDisabled={readOnly}
            onChange={(_e, v) => setGrace(Number(v))}
          />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("ensyncRotationGraceHelp")}</HelperTextItem>
              {!graceAvailable && (
                <HelperTextItem variant="warning" data-testid="ensync-no-rotation-grace">
                  {t("ensyncRotationGraceUnavailable")}
                </HelperTextItem>
              )}
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <FormGroup label={t("ensyncMaxGrants")} fieldId="ensync-max-grants">
          <TextInput
            id="ensync-max-grants"
            type="number"
            min={1}
            max={10000}
            value={maxGrants}
            isDisabled={readOnly}
            onChange={(_e, v) => setMaxGrants(Number(v))}
          />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("ensyncMaxGrantsHelp")}</HelperTextItem>
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <FormGroup label={t("ensyncAccessRequests")} fieldId="ensync-access-requests">
          <Switch
            id="ensync-access-requests"
            data-testid="ensync-access-requests"
            label={t("ensyncAccessRequestsOn")}
            isChecked={accessRequests}
            isDisabled={readOnly}
            onChange={(_e, v) => setAccessRequests(v)}
          />
          <FormHelperText>
            <HelperText>
              <HelperTextItem>{t("ensyncAccessRequestsHelp")}</HelperTextItem>
              {integration.accessRequests === "approval" && (
                <HelperTextItem data-testid="ensync-join-page">
                  {t("ensyncJoinPage")}: <a href={joinPage} target="_blank" rel="noreferrer">{joinPage}</a>
                </HelperTextItem>
              )}
            </HelperText>
          </FormHelperText>
        </FormGroup>
        <FormGroup label={t("ensyncJoinSlug")} fieldId="ensync-join-slug">
          <TextInput id="ensync-join-slug" value={joinSlug} maxLength={40} isDisabled={readOnly} placeholder="acme-events"
            onChange={(_e, v) => setJoinSlug(v)} />
        </FormGroup>
        <FormGroup label={t("ensyncColor")} fieldId="ensync-color">
          <TextInput id="ensync-color" value={color} maxLength={7} isDisabled={readOnly} placeholder="#0055ff"
            onChange={(_e, v) => setColor(v)} />
        </FormGroup>
        <FormGroup label={t("ensyncIcon")} fieldId="ensync-icon">
          <TextInput id="ensync-icon" type="url" value={icon} maxLength={2048} isDisabled={readOnly}
            placeholder="https://cdn.example.com/icon.png" onChange={(_e, v) => setIcon(v)} />
        </FormGroup>
        {!readOnly && (
          <ActionGroup>
            <Button type="submit" data-testid="ensync-save" isLoading={busy} isDisabled={busy || !name.trim()}>
              {t("save")}
            </Button>
          </ActionGroup>
        )}
      </Form>
    </PageSection>
  );
};
