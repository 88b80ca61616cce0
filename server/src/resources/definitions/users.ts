import { afterUserDelete, afterUserUpdate, beforeUserDelete, beforeUserUpdate } from '../../auth/roleChanges';
import { users } from '../../db/schema';
import { email } from '../refinements';
import { defineResource } from '../types';

// Bans, credits and badges change through audited actions; the form edits profile fields only.
export default defineResource({
  name: 'users',
  table: users,
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
