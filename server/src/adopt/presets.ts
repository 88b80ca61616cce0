import type { CatalogTable } from './catalog';
import { resourceNameOf, type CapabilitySpec } from './mapping';

/**
 * Recognises the domain actions an app's tables support, by the names the five seed systems use
 * (OpenCauldron, Chameleon, AI Studio, the Workers + Neon starter, ZeroStarter) and their common
 * spellings. Each capability says why it matched or, disabled, what it is missing.
 */
type Found = { table: CatalogTable; name: string };

function finder(tables: CatalogTable[]) {
  const table = (...names: string[]): Found | undefined => {
    for (const n of names) {
      const t = tables.find((x) => x.name.toLowerCase() === n.toLowerCase());
      if (t) return { table: t, name: resourceNameOf(t) };
    }
    return undefined;
  };
  const column = (t: Found | undefined, ...names: string[]): string | undefined => names.find((n) => t?.table.columns.some((c) => c.name === n));
  return { table, column };
}

const USER_TABLES = ['users', 'user', 'User'];
const USER_REFS = ['user_uuid', 'user_id', 'userId'];

/** Which column of the users table a `user_uuid`/`user_id` column points at. */
const userKeyFor = (refColumn: string, users: Found) => (refColumn.endsWith('uuid') && users.table.columns.some((c) => c.name === 'uuid') ? 'uuid' : users.table.primaryKey[0] ?? 'id');

function credits(f: ReturnType<typeof finder>): CapabilitySpec {
  const users = f.table(...USER_TABLES);
  const balance = f.table('credits', 'credit_balances', 'user_credits');
  const ledger = f.table('credits_trans', 'credit_transactions', 'credit_ledger');
  const left = f.column(balance, 'left_credits', 'balance');
  const balanceUser = f.column(balance, ...USER_REFS);
  const amount = f.column(ledger, 'credits', 'amount');
  const ledgerUser = f.column(ledger, ...USER_REFS);
  const missing = [
    !users && 'a users table',
    !balance && 'a balance table (credits)',
    balance && !left && `${balance.name}.left_credits or .balance`,
    balance && !balanceUser && `${balance.name}.user_uuid or .user_id`,
    !ledger && 'a ledger table (credits_trans or credit_transactions)',
    ledger && !amount && `${ledger.name}.credits or .amount`,
    ledger && !ledgerUser && `${ledger.name}.user_uuid or .user_id`,
  ].filter((m): m is string => !!m);
  const type = f.column(ledger, 'trans_type', 'type');
  return {
    kind: 'credits',
    enabled: missing.length === 0,
    reason: missing.length ? `credits need ${missing.join(', ')}` : `balance in ${balance!.name}.${left}, ledger in ${ledger!.name}.${amount}${type ? ` typed by ${type}` : ''}`,
    missing: missing.length ? missing : undefined,
    resource: users?.name ?? 'users',
    userKey: users && balanceUser ? userKeyFor(balanceUser, users) : 'id',
    balance: { resource: balance?.name ?? 'credits', user: balanceUser ?? 'user_id', left: left ?? 'left_credits', total: f.column(balance, 'total_credits'), updatedAt: f.column(balance, 'updated_at', 'updatedAt') },
    ledger: {
      resource: ledger?.name ?? 'credit_transactions',
      user: ledgerUser ?? 'user_id',
      amount: amount ?? 'amount',
      type,
      // Chameleon names an operator's grant system_add; opsroom's own schema, admin_adjust.
      typeValue: type ? (type === 'trans_type' ? 'system_add' : 'admin_adjust') : undefined,
      reason: f.column(ledger, 'description', 'reason', 'note'),
      createdAt: f.column(ledger, 'created_at', 'createdAt'),
    },
  };
}

function ban(f: ReturnType<typeof finder>): CapabilitySpec {
  const users = f.table(...USER_TABLES);
  const banned = f.column(users, 'banned', 'is_banned');
  const sessions = f.table('session', 'sessions');
  const sessionUser = f.column(sessions, 'userId', 'user_id');
  const reason = f.column(users, 'banReason', 'ban_reason');
  const expires = f.column(users, 'banExpires', 'ban_expires');
  const shape = reason === 'banReason' ? "Better Auth's admin plugin columns" : 'ban columns';
  return {
    kind: 'ban',
    enabled: !!users && !!banned,
    reason: !users ? 'bans need a users table' : !banned ? `bans need a banned column on ${users.name}` : `${shape} on ${users.name}: ${[banned, reason, expires].filter(Boolean).join(', ')}${sessions && sessionUser ? `; signs out through ${sessions.name}.${sessionUser}` : ''}`,
    missing: !users ? ['a users table'] : !banned ? [`${users.name}.banned`] : undefined,
    resource: users?.name ?? 'users',
    banned: banned ?? 'banned',
    reasonColumn: reason,
    expires,
    sessions: sessions && sessionUser ? { resource: sessions.name, user: sessionUser } : undefined,
  };
}

function badges(f: ReturnType<typeof finder>): CapabilitySpec {
  const users = f.table(...USER_TABLES);
  const defs = f.table('badges');
  const awards = f.table('user_badges');
  const xp = f.table('user_xp');
  const xpLedger = f.table('xp_transactions');
  const awardUser = f.column(awards, ...USER_REFS);
  const awardBadge = f.column(awards, 'badge_id', 'badgeId');
  const missing = [!users && 'a users table', !defs && 'a badges table', !awards && 'a user_badges table', awards && (!awardUser || !awardBadge) && 'user_badges.user_id and .badge_id'].filter((m): m is string => !!m);
  const xpTotal = f.column(xp, 'total_xp', 'xp');
  return {
    kind: 'badges',
    enabled: missing.length === 0,
    reason: missing.length ? `badges need ${missing.join(', ')}` : `awards in ${awards!.name}${xp && xpTotal ? `, XP in ${xp.name}.${xpTotal}` : ''}${xpLedger ? ` and ${xpLedger.name}` : ''}`,
    missing: missing.length ? missing : undefined,
    resource: users?.name ?? 'users',
    badges: { resource: defs?.name ?? 'badges', xp: f.column(defs, 'xp_reward', 'xp') },
    awards: { resource: awards?.name ?? 'user_badges', user: awardUser ?? 'user_id', badge: awardBadge ?? 'badge_id', at: f.column(awards, 'earned_at', 'awarded_at', 'created_at') },
    xp: xp && xpTotal ? { resource: xp.name, user: f.column(xp, ...USER_REFS) ?? 'user_id', total: xpTotal, updatedAt: f.column(xp, 'updated_at') } : undefined,
    xpLedger: xpLedger ? { resource: xpLedger.name, user: f.column(xpLedger, ...USER_REFS) ?? 'user_id', amount: f.column(xpLedger, 'amount', 'xp') ?? 'amount', type: f.column(xpLedger, 'source', 'type'), typeValue: 'badge_reward' } : undefined,
  };
}

function transition(f: ReturnType<typeof finder>, opts: { action: string; tables: string[]; column: string; from: string[]; to: string; stamp: string[]; what: string }): CapabilitySpec {
  const t = f.table(...opts.tables);
  const column = f.column(t, opts.column);
  const enabled = !!t && !!column;
  return {
    kind: 'transition',
    enabled,
    reason: enabled ? `${opts.what}: ${t!.name}.${column} ${opts.from.join('/')} → ${opts.to}` : `${opts.what} needs ${t ? `${t.name}.${opts.column}` : `a ${opts.tables[0]} table`}`,
    missing: enabled ? undefined : [t ? `${t.name}.${opts.column}` : `a ${opts.tables[0]} table`],
    resource: t?.name ?? opts.tables[0]!,
    action: opts.action,
    column: opts.column,
    from: opts.from,
    to: opts.to,
    stamp: opts.stamp.filter((s) => f.column(t, s)),
  };
}

/** Every capability opsroom knows, as recognised in these tables (enabled or with what is missing). */
export function recogniseCapabilities(tables: CatalogTable[]): Record<string, CapabilitySpec> {
  const f = finder(tables);
  return {
    credits: credits(f),
    ban: ban(f),
    badges: badges(f),
    refund: transition(f, { action: 'refund', tables: ['orders'], column: 'status', from: ['paid'], to: 'refunded', stamp: ['refunded_at'], what: 'order refunds' }),
    affiliate_approve: transition(f, { action: 'approve', tables: ['affiliates'], column: 'status', from: ['pending'], to: 'approved', stamp: ['approved_at'], what: 'affiliate approval' }),
    affiliate_pay: transition(f, { action: 'pay', tables: ['affiliates'], column: 'status', from: ['approved'], to: 'paid', stamp: ['paid_at'], what: 'affiliate payout' }),
    api_key_revoke: transition(f, { action: 'revoke', tables: ['apikeys', 'api_keys', 'apiKey'], column: 'status', from: ['active'], to: 'revoked', stamp: ['revoked_at'], what: 'API-key revocation' }),
  };
}
