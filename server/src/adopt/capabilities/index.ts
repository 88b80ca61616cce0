import type { OperatorRole } from '../../../../contract';
import type { Adoption } from '../resources';
import { badgesUseCase, type AwardBadge } from './badges';
import { banUseCases, type BanUseCases } from './ban';
import { creditsUseCase, type AdjustCredits } from './credits';
import { transitionUseCase, type Transition } from './transition';

export type { CapabilityDeps, TargetInput } from './support';

/** An enabled capability of the mapping, its use cases bound to the adopted tables. */
export type BoundCapability =
  | { kind: 'credits'; resource: string; adjust: AdjustCredits }
  | { kind: 'ban'; resource: string; ban: BanUseCases['ban']; unban: BanUseCases['unban'] }
  | { kind: 'badges'; resource: string; award: AwardBadge }
  | { kind: 'transition'; resource: string; action: string; role: OperatorRole; move: Transition };

/**
 * The mapping's enabled capabilities as use cases, by their key in opsroom.adopt.json. Built once at
 * start-up: a capability naming a resource or column that does not exist stops the server with its path.
 */
export function bindCapabilities(adoption: Adoption): Map<string, BoundCapability> {
  const bound = new Map<string, BoundCapability>();
  for (const [key, spec] of Object.entries(adoption.mapping.capabilities)) {
    if (!spec.enabled) continue;
    switch (spec.kind) {
      case 'credits':
        bound.set(key, { kind: 'credits', resource: spec.resource, adjust: creditsUseCase(adoption, key, spec) });
        break;
      case 'ban':
        bound.set(key, { kind: 'ban', resource: spec.resource, ...banUseCases(adoption, key, spec) });
        break;
      case 'badges':
        bound.set(key, { kind: 'badges', resource: spec.resource, award: badgesUseCase(adoption, key, spec) });
        break;
      case 'transition':
        bound.set(key, { kind: 'transition', resource: spec.resource, action: spec.action, role: spec.role ?? 'admin', move: transitionUseCase(adoption, key, spec) });
        break;
    }
  }
  return bound;
}

/** Which actions a record of each resource offers, for the console (metadata endpoint). */
export function actionsByResource(adoption: Adoption): Record<string, { key: string; action: string; kind: string; role: 'admin' | 'support' }[]> {
  const out: Record<string, { key: string; action: string; kind: string; role: 'admin' | 'support' }[]> = {};
  for (const [key, spec] of Object.entries(adoption.mapping.capabilities)) {
    if (!spec.enabled) continue;
    const list = (out[spec.resource] ??= []);
    if (spec.kind === 'credits') list.push({ key, action: 'credits', kind: 'credits', role: 'admin' });
    if (spec.kind === 'ban') list.push({ key, action: 'ban', kind: 'ban', role: 'support' }, { key, action: 'unban', kind: 'unban', role: 'support' });
    if (spec.kind === 'badges') list.push({ key, action: 'badges', kind: 'badges', role: 'admin' });
    if (spec.kind === 'transition') list.push({ key, action: spec.action, kind: 'transition', role: spec.role ?? 'admin' });
  }
  return out;
}
