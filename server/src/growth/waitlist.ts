import { z } from 'zod';
import { waitlist } from '../db/schema';
import { InvalidInputError, type UseCaseDeps } from '../usecases/index';

const signUpInput = z.object({
  email: z.string({ error: 'An email address' }).trim().toLowerCase().max(320, 'At most 320 characters').pipe(z.email({ error: 'An email address' })),
  source: z.string({ error: 'Text' }).trim().max(100, 'At most 100 characters').refine((v) => !/\p{Cc}/u.test(v), 'No control characters').optional(),
});

/**
 * A public waitlist sign-up. Idempotent per email (case and surrounding spaces ignored): a repeat
 * changes nothing and answers the same, so the form neither fails nor reveals who signed up before.
 */
export async function joinWaitlist(deps: UseCaseDeps, input: unknown): Promise<{ email: string }> {
  const parsed = signUpInput.safeParse(input ?? {});
  if (!parsed.success) {
    const errors: Record<string, string> = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'body')] ??= issue.message;
    throw new InvalidInputError(`Check ${Object.keys(errors).join(', ')}.`, errors);
  }
  await deps.db.insert(waitlist).values({ email: parsed.data.email, source: parsed.data.source ?? 'public' }).onConflictDoNothing({ target: waitlist.email });
  return { email: parsed.data.email };
}
