import { ConfigError } from '../../server/src/config/env';

/** Row counts the generator produces; every other table stays as the migrations and seeds leave it. */
export interface Sizes {
  users: number;
  creditTransactions: number;
  generations: number;
  orders: number;
}

// `default` is the scale issue's "busy AI app"; `small` runs in seconds while developing.
export const SIZE_PRESETS: Record<string, Sizes> = {
  small: { users: 20_000, creditTransactions: 100_000, generations: 40_000, orders: 4_000 },
  medium: { users: 200_000, creditTransactions: 1_000_000, generations: 400_000, orders: 40_000 },
  default: { users: 1_000_000, creditTransactions: 5_000_000, generations: 2_000_000, orders: 200_000 },
};

/**
 * `small`, `medium`, `default`, or explicit counts: `users=50000,credit_transactions=250000,…`
 * (unnamed counts scale with users in the default proportions).
 */
export function parseSize(raw: string | undefined): { name: string; sizes: Sizes } {
  const name = raw ?? 'default';
  const preset = SIZE_PRESETS[name];
  if (preset) return { name, sizes: preset };
  const pairs = Object.fromEntries(name.split(',').map((p) => p.split('=').map((s) => s.trim())));
  const users = Number(pairs.users);
  if (!Number.isSafeInteger(users) || users < 100) {
    throw new ConfigError(`--size "${name}" is not small, medium, default or users=<n>[,credit_transactions=<n>,generations=<n>,orders=<n>] with at least 100 users.`);
  }
  const count = (key: string, perUser: number) => {
    const n = pairs[key] === undefined ? Math.round(users * perUser) : Number(pairs[key]);
    if (!Number.isSafeInteger(n) || n < 0) throw new ConfigError(`--size: ${key} must be a whole number (got "${pairs[key]}").`);
    return n;
  };
  const sizes = { users, creditTransactions: count('credit_transactions', 5), generations: count('generations', 2), orders: count('orders', 0.2) };
  return { name: `users-${users}`, sizes };
}

export const describeSizes = (s: Sizes) =>
  `${s.users.toLocaleString('en')} users, ${s.creditTransactions.toLocaleString('en')} credit transactions, ${s.generations.toLocaleString('en')} generations, ${s.orders.toLocaleString('en')} orders`;
