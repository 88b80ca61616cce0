// Compile-time checks, run by `npm run typecheck`: each `@ts-expect-error` fails the typecheck when
// the line below it compiles, so a definition whose column names go unchecked turns the gate red.
import { users } from '../../src/db/schema';
import { email } from '../../src/resources/refinements';
import { defineResource, type ApiRow } from '../../src/resources/types';

defineResource(users, { name: 'users_ok', search: ['email', 'nickname'], hidden: ['password_hash'], creatable: ['email'], defaultSort: ['created_at', 'DESC'], refine: { email } });

// @ts-expect-error a misspelled search column
defineResource(users, { name: 'users_bad', search: ['emial'] });
// @ts-expect-error a misspelled hidden column
defineResource(users, { name: 'users_bad', hidden: ['password'] });
// @ts-expect-error a misspelled creatable column
defineResource(users, { name: 'users_bad', creatable: ['nick_name'] });
// @ts-expect-error a misspelled updatable column
defineResource(users, { name: 'users_bad', updatable: ['avatar'] });
// @ts-expect-error a misspelled sort column
defineResource(users, { name: 'users_bad', defaultSort: ['created', 'DESC'] });
// @ts-expect-error refine takes Drizzle keys, not SQL names
defineResource(users, { name: 'users_bad', refine: { avatar_url: email } });
// @ts-expect-error a misspelled refine key
defineResource(users, { name: 'users_bad', refine: { emial: email } });

// Rows read through a model carry the table's SQL names and column types.
declare const row: ApiRow<typeof users>;
const mail: string = row.email;
const banned: boolean = row.banned;
// @ts-expect-error the API row uses SQL names, not Drizzle keys
void row.passwordHash;
void mail;
void banned;
