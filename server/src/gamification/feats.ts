import { inArray, sql } from 'drizzle-orm';
import { writeAudit } from '../ops/writeAudit';
import { queryRows, type Tx } from '../db/client';
import { badges, userBadges } from '../db/schema';
import { addXp } from './xp';
import { NotFoundError, type UseCaseActor, type UseCaseDeps } from '../usecases/index';

/** How far a user has got on everything a feat is measured by. */
export interface FeatProgress {
  generations: number;
  videos: number;
  imageModels: number;
  brandedAssets: number;
  longestStreakDays: number;
  joinedInFirstMonth: boolean;
  admin: boolean;
  founder: boolean;
}

/** Each catalogue badge the app awards by itself, and when (OpenCauldron's feats). */
export const FEATS: Record<string, (p: FeatProgress) => boolean> = {
  first_brew: (p) => p.generations >= 1,
  centaur: (p) => p.generations >= 100,
  hydra: (p) => p.generations >= 1000,
  kindling: (p) => p.longestStreakDays >= 7,
  inferno: (p) => p.longestStreakDays >= 30,
  ranger: (p) => p.imageModels >= 5,
  sigil: (p) => p.brandedAssets >= 50,
  illusionist: (p) => p.videos >= 1,
  conjurer: (p) => p.videos >= 50,
  early_adopter: (p) => p.joinedInFirstMonth,
  admin: (p) => p.admin,
  founder: (p) => p.founder,
};

const FIRST_MONTH_DAYS = 30;

async function progressOf(tx: Tx, userId: number): Promise<FeatProgress | undefined> {
  const [row] = await queryRows<{
    generations: number;
    videos: number;
    image_models: number;
    branded_assets: number;
    longest_streak: number;
    first_month: boolean;
    admin: boolean;
    founder: boolean;
  }>(
    tx,
    sql`with me as (select id, role, created_at from users where id = ${userId}),
        done as (select ai_type, model, created_at from generations where user_id = ${userId} and status = 'completed'),
        days as (select distinct (created_at at time zone 'UTC')::date as d from done),
        runs as (select d - (row_number() over (order by d))::int as run from days)
      select
        (select count(*)::int from done) as generations,
        (select count(*)::int from done where ai_type = 'video') as videos,
        (select count(distinct model)::int from done where ai_type = 'image') as image_models,
        (select count(distinct ab.asset_id)::int from asset_brands ab join assets a on a.id = ab.asset_id where a.user_id = ${userId}) as branded_assets,
        coalesce((select max(n)::int from (select count(*) as n from runs group by run) r), 0) as longest_streak,
        (select me.created_at < (select min(created_at) from users) + make_interval(days => ${FIRST_MONTH_DAYS}) from me) as first_month,
        (select role = 'admin' from me) as admin,
        coalesce((select me.id = (select id from users where role = 'admin' order by created_at, id limit 1) from me), false) as founder
      from me`,
  );
  if (!row) return undefined;
  return {
    generations: row.generations,
    videos: row.videos,
    imageModels: row.image_models,
    brandedAssets: row.branded_assets,
    longestStreakDays: row.longest_streak,
    joinedInFirstMonth: row.first_month,
    admin: row.admin,
    founder: row.founder,
  };
}

export interface FeatsResult {
  userId: number;
  /** Badges this run awarded (already-held ones are not repeated). */
  awarded: { id: string; name: string; xp: number }[];
  progress: FeatProgress;
}

/**
 * Awards every feat the user has earned and does not hold yet, with each badge's XP, in one
 * transaction (with its audit row when an operator asked). Safe to call after every generation and to re-run from the console: a badge is
 * awarded once (the unique (user, badge) pair decides races). Badges missing from the catalogue
 * table (not seeded yet) are skipped.
 */
export async function awardFeats(deps: UseCaseDeps, actor: UseCaseActor, input: { userId: number }): Promise<FeatsResult> {
  return deps.db.transaction(async (tx) => {
    const progress = await progressOf(tx, input.userId);
    if (!progress) throw new NotFoundError(`users ${input.userId} does not exist.`);
    const earned = Object.entries(FEATS)
      .filter(([, rule]) => rule(progress))
      .map(([id]) => id);
    if (earned.length === 0) return { userId: input.userId, awarded: [], progress };
    const catalogue = await tx.select({ id: badges.id, name: badges.name, xp: badges.xpReward }).from(badges).where(inArray(badges.id, earned));
    const awarded: FeatsResult['awarded'] = [];
    for (const badge of catalogue) {
      const [row] = await tx
        .insert(userBadges)
        .values({ userId: input.userId, badgeId: badge.id, awardedBy: actor.actorId })
        .onConflictDoNothing({ target: [userBadges.userId, userBadges.badgeId] })
        .returning({ id: userBadges.id });
      if (!row) continue;
      await addXp(tx, { userId: input.userId, amount: badge.xp, source: 'badge_reward', referenceId: badge.id, description: `Badge: ${badge.name}` });
      awarded.push(badge);
    }
    // An operator's re-run is audited with the awards it made; the app's own calls are not operator actions.
    if (awarded.length && actor.actorId !== null) {
      await writeAudit(tx, { actorId: actor.actorId, actorEmail: actor.actorEmail ?? '', ip: actor.ip, requestId: actor.requestId ?? '' }, { action: 'award_feats', resource: 'users', recordId: input.userId, after: { awarded: awarded.map((b) => b.id) } });
    }
    return { userId: input.userId, awarded, progress };
  });
}
