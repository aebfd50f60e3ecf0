import { useRealm, ViewHeader } from "@keycloak/keycloak-admin-ui";
import {
  FormSelect,
  FormSelectOption,
  PageSection,
  SearchInput,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from "@patternfly/react-core";
import { Table, Tbody, Td, Th, Thead, Tr } from "@patternfly/react-table";
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router-dom";
import { query, useEnsyncApi, useLoad } from "../api";
import { AuditBanner, Empty, ListPagination, LoadedList, StatusLabel } from "../components";
import { ENVIRONMENTS, formatTime, Integration, Partner } from "../model";
import { toIntegration, toPartner } from "../routes";

const STATUSES = ["invited", "active", "suspended", "offboarded"];

/** Partners of the realm, newest first, filtered on the server; the filters live in the URL so views can be shared. */
export default function PartnersSection() {
  const { t } = useTranslation();
  const { realm } = useRealm();
  const api = useEnsyncApi();
  const [params, setParams] = useSearchParams();
  const [searchText, setSearchText] = useState(params.get("search") ?? "");
  const filter = {
    integration: params.get("integration") ?? "",
    status: params.get("status") ?? "",
    stage: params.get("stage") ?? "",
    search: params.get("search") ?? "",
  };
  const first = Number(params.get("first") ?? 0);
  const max = Number(params.get("max") ?? 20);

  const integrations = useLoad(() => api.get<Integration[]>("/integrations?max=500"), [api]);
  // One more than a page tells whether there is a next page without counting every partner.
  const partners = useLoad(
    () => api.get<Partner[]>("/partners" + query({ ...filter, first, max: max + 1 })),
    [api, filter.integration, filter.status, filter.stage, filter.search, first, max],
  );
  const integrationName = (id: string) => integrations.data?.find((i) => i.id === id)?.name ?? id;

  const update = (change: Record<string, string | number>) => {
    const next = new URLSearchParams(params);
    Object.entries(change).forEach(([k, v]) => (v === "" ? next.delete(k) : next.set(k, String(v))));
    if (!("first" in change)) next.delete("first");
    setParams(next);
  };

  const rows = partners.data?.slice(0, max) ?? [];
  const select = (name: keyof typeof filter, label: string, options: [string, string][]) => (
    <ToolbarItem>
      <FormSelect
        aria-label={label}
        data-testid={"ensync-filter-" + name}
        value={filter[name]}
        onChange={(_e, value) => update({ [name]: value })}
      >
        <FormSelectOption value="" label={label} />
        {options.map(([value, text]) => (
          <FormSelectOption key={value} value={value} label={text} />
        ))}
      </FormSelect>
    </ToolbarItem>
  );

  return (
    <>
      <ViewHeader titleKey="ensyncPartners" subKey={t("ensyncPartnersHelp")} />
      <AuditBanner />
      <PageSection variant="light" className="pf-v5-u-p-0">
        <Toolbar>
          <ToolbarContent>
            <ToolbarItem>
              <SearchInput
                data-testid="ensync-partner-search"
                placeholder={t("ensyncSearchPartners")}
                value={searchText}
                onChange={(_e, value) => setSearchText(value)}
                onSearch={() => update({ search: searchText.trim() })}
                onClear={() => {
                  setSearchText("");
                  update({ search: "" });
                }}
              />
            </ToolbarItem>
            {select(
              "integration",
              t("ensyncAllIntegrations"),
              (integrations.data ?? []).map((i) => [i.id, i.name]),
            )}
            {select("status", t("ensyncAllStatuses"), STATUSES.map((s) => [s, t("ensyncStatus-" + s)]))}
            {select("stage", t("ensyncAllStages"), ENVIRONMENTS.map((e) => [e, e]))}
            <ListPagination
              first={first}
              max={max}
              shown={rows.length}
              fetched={partners.data?.length ?? 0}
              onChange={(next, perPage) => update({ first: next, max: perPage })}
            />
          </ToolbarContent>
        </Toolbar>
        <LoadedList loaded={partners} rows={rows.length} empty={<Empty title={t("ensyncNoPartners")} body={t("ensyncNoPartnersHelp")} />}>
          <Table aria-label={t("ensyncPartners")} variant="compact" data-testid="ensync-partners">
            <Thead>
              <Tr>
                <Th>{t("ensyncAppName")}</Th>
                <Th>{t("ensyncIntegration")}</Th>
                <Th>{t("status")}</Th>
                <Th>{t("ensyncStage")}</Th>
                <Th>{t("ensyncCreated")}</Th>
              </Tr>
            </Thead>
            <Tbody>
              {rows.map((partner) => (
                <Tr key={partner.id}>
                  <Td dataLabel={t("ensyncAppName")}>
                    <Link to={toPartner(realm, partner.id)}>{partner.appName}</Link>
                  </Td>
                  <Td dataLabel={t("ensyncIntegration")}>
                    <Link to={toIntegration(realm, partner.integrationId)}>{integrationName(partner.integrationId)}</Link>
                  </Td>
                  <Td dataLabel={t("status")}>
                    <StatusLabel status={partner.status} />
                  </Td>
                  <Td dataLabel={t("ensyncStage")}>{partner.stage}</Td>
                  <Td dataLabel={t("ensyncCreated")}>{formatTime(partner.createdAt)}</Td>
                </Tr>
              ))}
            </Tbody>
          </Table>
        </LoadedList>
      </PageSection>
    </>
  );
}
