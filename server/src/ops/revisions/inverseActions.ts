/**
 * Domain actions are undone by their own inverse action, which leaves a new, audited record of the
 * correction (a reversing ledger entry, an unban), never by writing old values over history.
 * Keyed by the audit row's `action`; the sentence tells the operator what to do instead.
 */
export const INVERSE_ACTIONS: Record<string, string> = {
  adjust_credits: 'Credit adjustments are ledger entries: grant or deduct the opposite amount from the user’s Credits action.',
  refund: 'A refund moved money and credits: it cannot be taken back here. Record the correction with a credit adjustment.',
  ban: 'Use Unban on the user.',
  unban: 'Use Ban on the user.',
  award: 'Badges are awarded, not edited: remove the badge from the user’s Badges tab if it was given by mistake.',
  approve: 'An approved commission is reversed by refunding its order.',
  pay: 'A paid commission records money that left; recover it outside opsroom.',
  reverse: 'A reversed commission stays reversed; the order’s refund is what reversed it.',
  rotate: 'Rotate the key again with the key material you want.',
  enable: 'Use Disable on the key.',
  disable: 'Use Enable on the key.',
  reencrypt: 'Re-encryption changes no value; there is nothing to revert.',
  revoke: 'A revoked API key stays revoked: create a new key.',
  create: 'Reverting a creation would delete the record: delete it yourself if that is what you mean.',
  delete: 'A deleted record is gone from the table; re-create it from the values in this audit row.',
};

export const NOT_REVERTIBLE = 'Only edits made through a resource’s edit form can be reverted.';
