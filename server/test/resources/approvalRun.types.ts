// Compile-time checks, run by `npm run typecheck` (as defineResource.types.ts): each `@ts-expect-error`
// fails the typecheck when the line below it compiles.
import type { ApprovableAction } from '../../src/approvals/registry';
import type { Tx } from '../../src/db/client';
import type { ActionContext } from '../../src/usecases/records';

type RunDeps = Parameters<ApprovableAction<unknown>['run']>[0];
declare const tx: Tx;
declare const ctx: ActionContext;

// Approving runs the action on the deciding transaction, which its deps take as they are, no cast.
const deps: RunDeps = { db: tx, models: ctx.models, keyRing: ctx.keyRing };
// @ts-expect-error nothing else of the app: the pool behind `database` would write outside that transaction
void deps.database;
// @ts-expect-error nor the app's settings, which the gate read before the request was stored
void deps.config;
