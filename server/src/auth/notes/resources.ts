import { userNotes } from '../../db/schema';
import { defineResource } from '../../resources/types';

// Read through the generic engine (the console lists a user's notes by user_id); written only by
// POST /api/users/:id/notes, which signs the note with the operator's own identity. Notes are a
// record of what was known when: nobody edits or deletes them.
export const userNotesResource = defineResource(userNotes, {
  name: 'user_notes',
  search: ['body', 'author_email'],
  readOnly: true,
  defaultSort: ['created_at', 'DESC'],
});
