import type { OperatorRole } from './roles';

/** Every error body: a sentence for people and, for bad input, the reason per field. */
export interface ApiError {
  message: string;
  errors?: Record<string, string>;
  requestId?: string;
}

/** `POST /api/auth/login` and `GET /api/auth/me`. */
export interface OperatorSession {
  id: number;
  email: string;
  name: string | null;
  role: OperatorRole;
  csrfToken: string;
}

export type StatsInterval = 'day' | 'week';

/** One bucket of the dashboard's series; money in cents. */
export interface StatsBucket {
  bucket: string;
  revenue: number;
  refunds: number;
  signups: number;
  generations: number;
  credits_granted: number;
  credits_spent: number;
}

/** The body of `GET /api/stats`. */
export interface StatsResponse {
  from: string;
  to: string;
  interval: StatsInterval;
  series: StatsBucket[];
  generations_by_status: { status: string; count: number }[];
  generations_by_provider: { provider: string; count: number }[];
  today: { revenue: number; signups: number; generations: number; credits_spent: number };
}

/** `POST /api/users/{id}/credits`: the balance after the change and its ledger entry. */
export interface CreditsAdjusted {
  id: number;
  left_credits: number;
  total_credits: number;
  transaction: Record<string, unknown>;
}

/** `POST /api/affiliates/approve|pay`: the commissions changed. */
export interface CommissionBatch {
  data: number[];
}
