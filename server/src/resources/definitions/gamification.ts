import { reverseBadgeXp } from '../../actions/revokeBadge';
import { badges, userBadges, userXp, xpTransactions } from '../../db/schema';
import { nonEmpty, nonNegative, slug } from '../refinements';
import { defineResource } from '../types';

export const badgesResource = defineResource({
  name: 'badges',
  table: badges,
  search: ['id', 'name', 'description'],
  creatable: ['id', 'name', 'description', 'icon', 'category', 'xp_reward', 'sort_order'],
  updatable: ['name', 'description', 'icon', 'category', 'xp_reward', 'sort_order'],
  refine: { id: (s) => slug(s).max(64), name: nonEmpty, xpReward: nonNegative },
  defaultSort: ['sort_order', 'ASC'],
});

// Awards go through the award-badge action so XP and levels follow; revoking is a delete that
// takes the award's XP back.
export const userBadgesResource = defineResource({ name: 'user_badges', table: userBadges, defaultSort: ['awarded_at', 'DESC'], beforeDelete: reverseBadgeXp });
export const userXpResource = defineResource({ name: 'user_xp', table: userXp, readOnly: true, defaultSort: ['total_xp', 'DESC'] });
export const xpTransactionsResource = defineResource({ name: 'xp_transactions', table: xpTransactions, search: ['description', 'reference_id'], readOnly: true, defaultSort: ['created_at', 'DESC'] });
