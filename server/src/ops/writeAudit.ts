import type { Db, Tx } from '../db/client';
import { auditLog } from '../db/schema';
import type { UseCaseActor } from '../usecases';

// Belt and braces: records reach here already stripped of hidden columns, but an action could pass
// a raw row by mistake, and a secret in the audit trail would outlive any rotation.
const SECRET_KEYS = /^(password|password_hash|passwordHash|encrypted_key|encryptedKey|key_hash|keyHash|key|token|access_token|refresh_token|accessToken|refreshToken)$/;

export function redact(record: Record<string, unknown> | null | undefined): Record<string, unknown> | null {
  if (!record) return null;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = SECRET_KEYS.test(k) ? '[redacted]' : v;
  return out;
}

/** The built-in `audit_log`, or an adopted database's `opsroom.audit_log` (same columns). */
export type AuditTable = typeof auditLog;

export interface AuditInput {
  action: string;
  resource: string;
  recordId: string | number | null;
  before?: Record<string, unknown> | null;
  after?: Record<string, unknown> | null;
  /** On a revert: the audit row whose change this undoes. */
  revertsId?: number;
}

/** The acting operator, plus the second admin when the change ran on a four-eyes approval. */
export type AuditActor = UseCaseActor & {
  approvedById?: number;
  approvedByEmail?: string;
};

/** Writes one audit row; call it inside the same transaction as the change it records. */
export async function writeAudit(tx: Tx | Db, actor: AuditActor, entry: AuditInput, table: AuditTable = auditLog) {
  await tx.insert(table).values({
    actorId: actor.actorId,
    actorEmail: actor.actorEmail,
    ip: actor.ip,
    requestId: actor.requestId,
    approvedById: actor.approvedById ?? null,
    approvedByEmail: actor.approvedByEmail ?? null,
    revertsId: entry.revertsId ?? null,
    action: entry.action,
    resource: entry.resource,
    recordId: entry.recordId === null ? null : String(entry.recordId),
    before: redact(entry.before),
    after: redact(entry.after),
  });
}
