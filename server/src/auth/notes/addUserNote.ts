import { eq } from 'drizzle-orm';
import { z } from 'zod';
import { userNotes, users, type UserNote } from '../../db/schema';
import { writeAudit } from '../../ops/writeAudit';
import { NotFoundError, SYSTEM_ACTOR, type UseCaseActor, type UseCaseDeps } from '../../usecases';

export const MAX_NOTE_LENGTH = 5000;

export const noteInput = z.strictObject({
  // Postgres text cannot hold NUL, and a lone surrogate is not text at all: a 400, never a 500.
  body: z
    .string({ error: 'Write the note as text' })
    .trim()
    .min(1, 'Write something')
    .max(MAX_NOTE_LENGTH, `At most ${MAX_NOTE_LENGTH} characters`)
    .refine((s) => !s.includes('\u0000') && !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s), 'Contains characters that cannot be stored'),
});

/** The API shape of a note: what the console's timeline shows. */
export type NoteRow = Pick<UserNote, 'id' | 'userId' | 'authorId' | 'authorEmail' | 'body' | 'createdAt'>;

/** A dated note on a user, signed by the operator who wrote it, audited in the same transaction. */
export async function addUserNote(deps: UseCaseDeps, actor: UseCaseActor, input: { userId: number; body: string }) {
  return deps.db.transaction(async (tx) => {
    const [user] = await tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId));
    if (!user) throw new NotFoundError(`users ${input.userId} does not exist.`);
    const [note] = await tx
      .insert(userNotes)
      .values({ userId: input.userId, authorId: actor.actorId, authorEmail: actor.actorEmail ?? SYSTEM_ACTOR.actorEmail!, body: input.body })
      .returning();
    const row = { id: note!.id, user_id: note!.userId, author_id: note!.authorId, author_email: note!.authorEmail, body: note!.body, created_at: note!.createdAt };
    await writeAudit(tx, actor, { action: 'create', resource: 'user_notes', recordId: note!.id, after: row });
    return row;
  });
}
