import simpleRestProvider from 'ra-data-simple-rest';
import type { DataProvider, Identifier, RaRecord } from 'react-admin';
import { API_URL, httpClient } from './httpClient';
import { takeFirstList } from './preloadRoute';

import { isPendingApproval, type PendingApproval, type SegmentCount, type StatsInterval, type StatsResponse as Stats } from '../../contract';
// The console's own routes declare their answers next to their logic (type-only: nothing of the server is bundled).
import type { FailedGeneration } from '../../server/src/ai/failGenerations';
import type { SearchHit } from '../../server/src/console/globalSearch';
import type { UserSummary } from '../../server/src/console/userSummary';
import type { TimelineEntry } from '../../server/src/console/userTimeline';

export type { StatsBucket, StatsResponse as Stats } from '../../contract';
export type { SearchHit, TimelineEntry, UserSummary };

export interface StatsQuery {
  from: string;
  to: string;
  interval: StatsInterval;
}

/**
 * The domain actions: POSTs to `/api/{resource}/{id}/{verb}` that return the updated record, or a
 * guarded action's 202 `PendingApproval` as `data` when a second admin must approve it first.
 */
export interface DomainMethods {
  grantCredits(userId: Identifier, body: { amount: number; reason: string }): Promise<{ data: RaRecord }>;
  ban(userId: Identifier, body: { reason: string; expires_at?: string | null }): Promise<{ data: RaRecord }>;
  unban(userId: Identifier): Promise<{ data: RaRecord }>;
  awardBadge(userId: Identifier, body: { badge_id: string }): Promise<{ data: RaRecord }>;
  refund(orderId: Identifier, body?: { reason?: string; allow_partial?: boolean }): Promise<{ data: RaRecord }>;
  /** Marks pending/processing generations failed and refunds their credits, all or none. */
  failGenerations(ids: Identifier[], reason: string): Promise<{ data: FailedGeneration[] }>;
  userSummary(userId: Identifier): Promise<UserSummary>;
  userTimeline(userId: Identifier): Promise<TimelineEntry[]>;
  search(q: string): Promise<SearchHit[]>;
  /** Each user segment's size, counted by the server at most every ten minutes. */
  userSegments(): Promise<SegmentCount[]>;
  auditActions(): Promise<string[]>;
  approveCommission(ids: Identifier[]): Promise<{ data: Identifier[]; pendingApproval?: PendingApproval }>;
  payCommission(ids: Identifier[]): Promise<{ data: Identifier[]; pendingApproval?: PendingApproval }>;
  rotateKey(id: Identifier, body: { key: string }): Promise<{ data: RaRecord }>;
  setKeyEnabled(id: Identifier, enabled: boolean): Promise<{ data: RaRecord }>;
  revokeApiKey(id: Identifier): Promise<{ data: RaRecord }>;
  changeRole(userId: Identifier, body: { role: string }): Promise<{ data: RaRecord }>;
  decideApproval(id: Identifier, decision: 'approve' | 'reject', body: { note?: string }): Promise<{ data: RaRecord }>;
  stats(query: StatsQuery): Promise<Stats>;
}

export type OpsDataProvider = DataProvider & DomainMethods;

const idFilter = (ids: Identifier[]) => `filter=${encodeURIComponent(JSON.stringify({ id: ids }))}`;

/** Only what the operator changed, plus the `updated_at` the form loaded (optimistic concurrency). */
export function changedFields(data: Record<string, unknown>, previous: Record<string, unknown> | undefined) {
  if (!previous) return data;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) {
    if (key === 'id' || key === 'updated_at') continue;
    if (JSON.stringify(value ?? null) !== JSON.stringify(previous[key] ?? null)) out[key] = value;
  }
  if (previous.updated_at !== undefined) out.updated_at = previous.updated_at;
  return out;
}

export function createDataProvider(apiUrl = API_URL, http = httpClient): OpsDataProvider {
  const base = simpleRestProvider(apiUrl, http);
  const post = (path: string, body?: unknown) =>
    http(`${apiUrl}/${path}`, { method: 'POST', body: JSON.stringify(body ?? {}) }).then(({ json }) => ({ data: json }));
  const get = (path: string) => http(`${apiUrl}/${path}`).then(({ json }) => json);
  // One transaction for the whole selection: either every commission moves or none does.
  const commissions = (ids: Identifier[], verb: 'approve' | 'pay') =>
    http(`${apiUrl}/affiliates/${verb}`, { method: 'POST', body: JSON.stringify({ ids }) }).then(({ json }) =>
      isPendingApproval(json) ? { data: ids, pendingApproval: json } : { data: (json?.data ?? ids) as Identifier[] },
    );

  return {
    ...base,
    // A cold load's list page was asked for before React mounted (preloadRoute); take that answer.
    getList: (resource, params) => takeFirstList(resource, params) ?? base.getList(resource, params),
    update: (resource, params) =>
      base.update(resource, { ...params, data: changedFields(params.data, params.previousData) as typeof params.data }),
    // One request for the whole selection instead of simple-rest's one per id.
    updateMany: (resource, params) =>
      http(`${apiUrl}/${resource}?${idFilter(params.ids)}`, { method: 'PUT', body: JSON.stringify(params.data) }).then(
        ({ json }) => ({ data: json ?? params.ids }),
      ),
    deleteMany: (resource, params) =>
      http(`${apiUrl}/${resource}?${idFilter(params.ids)}`, { method: 'DELETE' }).then(({ json }) => ({
        data: json ?? params.ids,
      })),
    grantCredits: (userId, body) => post(`users/${userId}/credits`, body),
    ban: (userId, body) => post(`users/${userId}/ban`, body),
    unban: (userId) => post(`users/${userId}/unban`),
    awardBadge: (userId, body) => post(`users/${userId}/badges`, body),
    refund: (orderId, body) => post(`orders/${orderId}/refund`, body),
    failGenerations: (ids, reason) =>
      http(`${apiUrl}/generations/fail`, { method: 'POST', body: JSON.stringify({ ids, reason }) }).then(({ json }) => json),
    userSummary: (userId) => get(`users/${userId}/summary`),
    userTimeline: (userId) => get(`users/${userId}/timeline`),
    search: (q) => get(`search?${new URLSearchParams({ q })}`),
    userSegments: () => get('users/segments'),
    auditActions: () => get('audit_actions'),
    approveCommission: (ids) => commissions(ids, 'approve'),
    payCommission: (ids) => commissions(ids, 'pay'),
    rotateKey: (id, body) => post(`ai_provider_keys/${id}/rotate`, body),
    setKeyEnabled: (id, enabled) => post(`ai_provider_keys/${id}/${enabled ? 'enable' : 'disable'}`),
    revokeApiKey: (id) => post(`api_keys/${id}/revoke`),
    changeRole: (userId, body) => post(`users/${userId}/role`, body),
    decideApproval: (id, decision, body) => post(`approval_requests/${id}/${decision}`, body),
    stats: (q) =>
      http(`${apiUrl}/stats?${new URLSearchParams({ from: q.from, to: q.to, interval: q.interval })}`).then(
        ({ json }) => json as Stats,
      ),
  };
}

export const dataProvider = createDataProvider();
