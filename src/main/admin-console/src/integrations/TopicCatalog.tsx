import {
  Button,
  Checkbox,
  Form,
  FormGroup,
  FormHelperText,
  HelperText,
  HelperTextItem,
  PageSection,
  TextInput,
  Title,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { FormEvent, useState } from "react";
import { useTranslation } from "react-i18next";
import { Empty, EnvironmentCheckboxes } from "../components";
import { EnvironmentName, Integration, TopicRule } from "../model";

type Props = { integration: Integration; readOnly: boolean; onSave: (topics: TopicRule[]) => Promise<void> };

const yesNo = (value: boolean) => (value ? "✓" : "—");

/** The topics partners may request, and in which environments a request is approved without an admin. */
export const TopicCatalog = ({ integration, readOnly, onSave }: Props) => {
  const { t } = useTranslation();
  const topics = integration.topics;

  return (
    <PageSection variant="light">
      {topics.length === 0 ? (
        <Empty title={t("ensyncNoTopics")} body={t("ensyncNoTopicsHelp")} />
      ) : (
        <Table aria-label={t("ensyncTopicCatalog")} variant="compact" data-testid="ensync-topics">
          <Thead>
            <Tr>
              <Th>{t("ensyncTopicPattern")}</Th>
              <Th>{t("ensyncSend")}</Th>
              <Th>{t("ensyncReceive")}</Th>
              <Th>{t("ensyncAutoApprove")}</Th>
              {!readOnly && <Th screenReaderText={t("actions")} />}
            </Tr>
          </Thead>
          <Tbody>
            {topics.map((topic) => (
              <Tr key={topic.pattern}>
                <Td dataLabel={t("ensyncTopicPattern")}>
                  <code>{topic.pattern}</code>
                </Td>
                <Td dataLabel={t("ensyncSend")}>{yesNo(topic.send ?? false)}</Td>
                <Td dataLabel={t("ensyncReceive")}>{yesNo(topic.receive ?? false)}</Td>
                <Td dataLabel={t("ensyncAutoApprove")}>{topic.autoApprove?.join(", ") || "—"}</Td>
                {!readOnly && (
                  <Td isActionCell>
                    <Button
                      variant="link"
                      isDanger
                      onClick={() => onSave(topics.filter((other) => other.pattern !== topic.pattern))}
                    >
                      {t("remove")}
                    </Button>
                  </Td>
                )}
              </Tr>
            ))}
          </Tbody>
        </Table>
      )}
      {!readOnly && <AddTopicForm onAdd={(topic) => onSave([...topics, topic])} />}
    </PageSection>
  );
};

const AddTopicForm = ({ onAdd }: { onAdd: (topic: TopicRule) => Promise<void> }) => {
  const { t } = useTranslation();
  const [pattern, setPattern] = useState("");
  const [send, setSend] = useState(true);
  const [receive, setReceive] = useState(true);
  const [autoApprove, setAutoApprove] = useState<EnvironmentName[]>(["dev"]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    await onAdd({ pattern: pattern.trim(), send, receive, autoApprove });
    setPattern("");
  };

  return (
    <Form onSubmit={submit} className="pf-v5-u-mt-lg" data-testid="ensync-add-topic" style={{ maxWidth: "50rem" }}>
      <Title headingLevel="h3">{t("ensyncAddTopic")}</Title>
      <FormGroup label={t("ensyncTopicPattern")} isRequired fieldId="ensync-topic-pattern">
        <TextInput
          id="ensync-topic-pattern"
          data-testid="ensync-topic-pattern"
          value={pattern}
          placeholder="app/order/*"
          onChange={(_e, v) => setPattern(v)}
        />
        <FormHelperText>
          <HelperText>
            <HelperTextItem>{t("ensyncTopicPatternHelp")}</HelperTextItem>
          </HelperText>
        </FormHelperText>
      </FormGroup>
      <FormGroup label={t("ensyncScopes")} role="group" isInline fieldId="ensync-topic-scopes">
        <Checkbox id="ensync-topic-send" label={t("ensyncSend")} isChecked={send} onChange={(_e, v) => setSend(v)} />
        <Checkbox
          id="ensync-topic-receive"
          label={t("ensyncReceive")}
          isChecked={receive}
          onChange={(_e, v) => setReceive(v)}
        />
      </FormGroup>
      <FormGroup label={t("ensyncAutoApprove")} role="group" isInline fieldId="ensync-topic-auto">
        <EnvironmentCheckboxes idPrefix="ensync-topic-auto-" value={autoApprove} onChange={setAutoApprove} />
      </FormGroup>
      <div>
        <Button type="submit" data-testid="ensync-add-topic-submit" isDisabled={!pattern.trim() || (!send && !receive)}>
          {t("add")}
        </Button>
      </div>
    </Form>
  );
};
