import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider, Identifier } from 'react-admin';
import { API_URL, httpClient } from '../httpClient';

/** The version field an adopted record carries (Postgres' xmin): echoed on every edit. */
export const VERSION_FIELD = '_version';

/**
 * ra-data-simple-rest over adopted tables. An edit sends what changed plus the version the form
 * loaded, so the server answers 409 when someone (opsroom or the app) wrote the row since.
 */
export function createAdoptedDataProvider(apiUrl = API_URL, http = httpClient): DataProvider & { action(resource: string, id: Identifier, action: string, body?: unknown): Promise<{ data: unknown }> } {
  const base = simpleRestProvider(apiUrl, http);
  return {
    ...base,
    update: (resource, params) => {
      const previous = (params.previousData ?? {}) as Record<string, unknown>;
      const data: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(params.data as Record<string, unknown>)) {
        if (key === 'id' || key === VERSION_FIELD) continue;
        if (JSON.stringify(value ?? null) !== JSON.stringify(previous[key] ?? null)) data[key] = value;
      }
      if (previous[VERSION_FIELD] !== undefined) data[VERSION_FIELD] = previous[VERSION_FIELD];
      return base.update(resource, { ...params, data: data as typeof params.data });
    },
    action: (resource, id, action, body) =>
      http(`${apiUrl}/${resource}/${encodeURIComponent(String(id))}/${action}`, { method: 'POST', body: JSON.stringify(body ?? {}) }).then(({ json }) => ({ data: json })),
  };
}

export const adoptedDataProvider = createAdoptedDataProvider();
