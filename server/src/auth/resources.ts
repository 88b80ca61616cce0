import { afterUserDelete, afterUserUpdate, beforeUserDelete, beforeUserUpdate } from './roleChanges';
import { users } from '../db/schema';
import { email } from '../resources/refinements';
import { defineResource } from '../resources/types';

// Bans, credits and badges change through audited actions; the form edits profile fields only.
export const usersResource = defineResource(users, {
  name: 'users',
  search: ['email', 'name', 'nickname'],
  hidden: ['password_hash'],
  creatable: ['email', 'name', 'nickname', 'avatar_url', 'role', 'is_affiliate', 'locale', 'invited_by'],
  updatable: ['email', 'name', 'nickname', 'avatar_url', 'role', 'is_affiliate', 'locale'],
  defaultSort: ['created_at', 'DESC'],
  refine: { email },
  beforeUpdate: beforeUserUpdate,
  afterUpdate: afterUserUpdate,
  beforeDelete: beforeUserDelete,
  afterDelete: afterUserDelete,
});
