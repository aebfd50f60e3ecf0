import {
  Button,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { query, useEnsyncApi, useLoad } from "../api";
import { Empty, ListPagination, LoadedList, StatusLabel, useNotices } from "../components";
import { Delivery, formatTime, Webhook } from "../model";

type Props = {
  integrationId: string;
  webhook: Webhook;
  /** Changed by the parent to reload the log (after a test event). */
  generation: number;
  readOnly: boolean;
  notices: ReturnType<typeof useNotices>;
  /** Called when a pending message was settled: the server may have disabled the endpoint (410). */
  onSettled: () => void;
};

/** While a message waits for an attempt due within this time, the log reloads itself. */
const FOLLOW_MILLIS = 60_000;
const FOLLOW_EVERY_MILLIS = 2_000;

/**
 * One endpoint's delivery log, newest first: each message (its id is the receiver's `webhook-id`) with its status,
 * attempts, the last answer and its latency, and the next try; a message can be sent again (replay).
 */
export const WebhookDeliveries = ({ integrationId, webhook, generation, readOnly, notices, onSettled }: Props) => {
  const { t } = useTranslation();
  const api = useEnsyncApi();
  const path = `/integrations/${integrationId}/webhooks/${webhook.id}/deliveries`;
  const [first, setFirst] = useState(0);
  const [max, setMax] = useState(20);
  const deliveries = useLoad(
    () => api.get<Delivery[]>(path + query({ first, max: max + 1 })),
    [api, path, first, max, generation],
  );
  const rows = deliveries.data?.slice(0, max) ?? [];

  // Follows messages about to be tried until they are settled, and tells the parent when one was settled since the
  // last load. The first load counts too (once): the log may open on a test event that a fast receiver has already
  // answered with 410, which disabled the endpoint.
  const known = useRef(new Map<string, Delivery["status"]>());
  useEffect(() => {
    if (!deliveries.data || deliveries.loading) return;
    const before = known.current;
    known.current = new Map(deliveries.data.map((d) => [d.id, d.status]));
    if (deliveries.data.some((d) => d.status !== "pending" && before.get(d.id) !== d.status)) onSettled();
    const soon = deliveries.data.some(
      (d) => d.status === "pending" && (!d.nextAttemptAt || Date.parse(d.nextAttemptAt) - Date.now() < FOLLOW_MILLIS),
    );
    if (!soon) return;
    const timer = setTimeout(deliveries.reload, FOLLOW_EVERY_MILLIS);
    return () => clearTimeout(timer);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [deliveries.data, deliveries.loading]);

  const replay = async (delivery: Delivery) => {
    try {
      await api.post(`${path}/${delivery.id}/replay`);
      notices.success(t("ensyncReplayQueued"));
      deliveries.reload();
    } catch (error) {
      notices.failure(error);
    }
  };

  return (
    <div className="pf-v5-u-p-md" data-testid="ensync-deliveries">
      <Title headingLevel="h3">{t("ensyncDeliveryLogOf", { url: webhook.url })}</Title>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <Button variant="secondary" data-testid="ensync-deliveries-refresh" onClick={deliveries.reload}>
              {t("refresh")}
            </Button>
          </ToolbarItem>
          <ListPagination
            first={first}
            max={max}
            shown={rows.length}
            fetched={deliveries.data?.length ?? 0}
            onChange={(next, perPage) => {
              setFirst(next);
              setMax(perPage);
            }}
          />
        </ToolbarContent>
      </Toolbar>
      <LoadedList loaded={deliveries} rows={rows.length} empty={<Empty title={t("ensyncNoDeliveries")} body={t("ensyncNoDeliveriesHelp")} />}>
        <Table aria-label={t("ensyncDeliveryLog")} variant="compact" data-testid="ensync-deliveries-table">
          <Thead>
            <Tr>
              <Th modifier="wrap">{t("ensyncEventType")}</Th>
              <Th modifier="wrap">{t("ensyncMessageId")}</Th>
              <Th modifier="wrap">{t("status")}</Th>
              <Th modifier="wrap">{t("ensyncAttempts")}</Th>
              <Th modifier="wrap">{t("ensyncLastAttempt")}</Th>
              <Th modifier="wrap">{t("ensyncLastAnswer")}</Th>
              <Th modifier="wrap">{t("ensyncLatency")}</Th>
              <Th modifier="wrap">{t("ensyncNextTry")}</Th>
              {!readOnly && <Th screenReaderText={t("actions")} />}
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((delivery) => (
              <Tr key={delivery.id} data-testid="ensync-delivery-row" data-message-id={delivery.id}>
                <Td dataLabel={t("ensyncEventType")}>
                  <code>{delivery.eventType}</code>
                  <div className="pf-v5-u-color-200 pf-v5-u-font-size-sm">{formatTime(delivery.createdAt)}</div>
                </Td>
                <Td dataLabel={t("ensyncMessageId")}>
                  <code className="pf-v5-u-font-size-sm">{delivery.id}</code>
                </Td>
                <Td dataLabel={t("status")}>
                  <StatusLabel status={delivery.status} />
                </Td>
                <Td dataLabel={t("ensyncAttempts")} data-testid="ensync-delivery-attempts">
                  {delivery.attempts}
                </Td>
                <Td dataLabel={t("ensyncLastAttempt")}>{formatTime(delivery.lastAttemptAt)}</Td>
                <Td dataLabel={t("ensyncLastAnswer")} data-testid="ensync-delivery-answer">
                  {delivery.lastStatus ?? "—"}
                  {delivery.lastError && (
                    <div className="pf-v5-u-color-200 pf-v5-u-font-size-sm">{delivery.lastError}</div>
                  )}
                </Td>
                <Td dataLabel={t("ensyncLatency")}>
                  {delivery.lastLatencyMillis === undefined ? "—" : `${delivery.lastLatencyMillis} ms`}
                </Td>
                <Td dataLabel={t("ensyncNextTry")}>{formatTime(delivery.nextAttemptAt)}</Td>
                {!readOnly && (
                  <Td isActionCell>
                    <Button variant="link" isInline data-testid="ensync-delivery-replay" onClick={() => replay(delivery)}>
                      {t("ensyncReplay")}
                    </Button>
                  </Td>
                )}
              </Tr>
            ))}
          </Tbody>
        </Table>
      </LoadedList>
    </div>
  );
};
