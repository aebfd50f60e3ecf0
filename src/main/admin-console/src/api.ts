import { useAdminClient, useRealm } from "@keycloak/keycloak-admin-ui";
import { DependencyList, useCallback, useEffect, useMemo, useState } from "react";

/** SPEC §3's error envelope, as thrown to the pages: the code and message are shown to the admin as they are. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

type Envelope<T> = {
  status: "success" | "error";
  data: T;
  error?: { code: string; message: string; field?: string };
};

/**
 * The extension's admin API (`/admin/realms/{realm}/ensync`) for the realm being administered, called with the
 * console's own admin token: the server decides what this admin may see and do.
 */
export function useEnsyncApi() {
  const { adminClient } = useAdminClient();
  const { realm } = useRealm();

  return useMemo(() => {
    const base = `${adminClient.baseUrl}/admin/realms/${encodeURIComponent(realm)}/ensync`;

    async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
      const token = await adminClient.getAccessToken();
      const response = await fetch(base + path, {
        method,
        headers: {
          Authorization: `Bearer ${token}`,
          ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const envelope = (await response.json().catch(() => undefined)) as Envelope<T> | undefined;
      if (!response.ok || envelope?.status !== "success") {
        const error = envelope?.error;
        throw new ApiError(
          response.status,
          error?.code ?? "http_" + response.status,
          error?.message ?? response.statusText,
          error?.field,
        );
      }
      return envelope.data;
    }

    return {
      get: <T>(path: string) => call<T>("GET", path),
      post: <T>(path: string, body: unknown = {}) => call<T>("POST", path, body),
      put: <T>(path: string, body: unknown) => call<T>("PUT", path, body),
      delete: <T>(path: string) => call<T>("DELETE", path),
    };
  }, [adminClient, realm]);
}

export type Loaded<T> = { data?: T; error?: Error; loading: boolean; reload: () => void };

/** Loads data for a page and reloads it on demand (after a change) or when the dependencies change. */
export function useLoad<T>(load: () => Promise<T>, deps: DependencyList): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);

  useEffect(() => {
    let current = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (data) => current && setState({ data, loading: false }),
      (error: Error) => current && setState({ error, loading: false }),
    );
    return () => {
      current = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);

  return { ...state, reload };
}

export const query = (params: Record<string, string | number | undefined>) => {
  const search = new URLSearchParams();
  Object.entries(params).forEach(([key, value]) => {
    if (value !== undefined && value !== "") search.set(key, String(value));
  });
  const text = search.toString();
  return text ? "?" + text : "";
};
