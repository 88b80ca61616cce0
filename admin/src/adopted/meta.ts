import { API_URL, httpClient } from '../httpClient';

/** What GET /api/_meta says about an adopted database (server/src/adopt/meta.ts). */
export interface MetaField {
  name: string;
  kind: 'int' | 'number' | 'text' | 'uuid' | 'enum' | 'bool' | 'date' | 'json' | 'secret';
  sqlType: string;
  array: boolean;
  nullable: boolean;
  choices: string[] | null;
  reference: { resource: string; column: string } | null;
  creatable: boolean;
  updatable: boolean;
  sortable: boolean;
  filterable: boolean;
}

export interface MetaAction {
  key: string;
  action: string;
  kind: 'credits' | 'ban' | 'unban' | 'badges' | 'transition';
  role: 'admin' | 'support';
}

export interface MetaResource {
  name: string;
  label: string;
  kind: 'table' | 'view';
  key: string[];
  keyed: boolean;
  readOnly: boolean;
  deletable: boolean;
  versionField: string | null;
  list: string[];
  search: string[];
  fields: MetaField[];
  actions: MetaAction[];
}

export interface Meta {
  mode: 'adopted';
  operator: { role: 'admin' | 'support'; canWrite: boolean };
  resources: MetaResource[];
}

let cached: Promise<Meta> | undefined;

export function fetchMeta(): Promise<Meta> {
  cached ??= httpClient(`${API_URL}/_meta`).then(
    ({ json }) => json as Meta,
    (err) => {
      cached = undefined;
      throw err;
    },
  );
  return cached;
}

export function forgetMeta() {
  cached = undefined;
}

let mode: Promise<boolean> | undefined;

/** Whether this server serves an adopted database (asked before sign-in; the built-in server answers 401). Asked once per page. */
export function isAdoptedServer(): Promise<boolean> {
  mode ??= fetch(`${API_URL}/auth/mode`, { headers: { Accept: 'application/json' } })
    .then(async (res) => res.ok && ((await res.json()) as { mode?: string }).mode === 'adopted')
    .catch(() => false);
  return mode;
}
