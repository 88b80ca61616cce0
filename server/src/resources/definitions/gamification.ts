import { badges, userBadges, userXp, xpTransactions } from '../../db/schema';
import { nonEmpty, slug } from '../refinements';
import { defineResource } from '../types';

export const badgesResource = defineResource(badges, {
  name: 'badges',
  search: ['id', 'name', 'description'],
  creatable: ['id', 'name', 'description', 'icon', 'category', 'xp_reward', 'sort_order'],
  updatable: ['name', 'description', 'icon', 'category', 'xp_reward', 'sort_order'],
  refine: { id: (s) => slug(s).max(64), name: nonEmpty },
  defaultSort: ['sort_order', 'ASC'],
});

// Awards go through the award-badge action so XP and levels follow; revoking is a plain delete.
export const userBadgesResource = defineResource(userBadges, { name: 'user_badges', defaultSort: ['awarded_at', 'DESC'] });
export const userXpResource = defineResource(userXp, { name: 'user_xp', readOnly: true, defaultSort: ['total_xp', 'DESC'] });
export const xpTransactionsResource = defineResource(xpTransactions, { name: 'xp_transactions', search: ['description', 'reference_id'], readOnly: true, defaultSort: ['created_at', 'DESC'] });
