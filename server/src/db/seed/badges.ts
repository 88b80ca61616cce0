import { inArray, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { badges, type NewBadge } from '../schema';

/** The badge catalogue. Ids are stable slugs: the app awards badges by id. */
export const BADGES: NewBadge[] = [
  { id: 'first_brew', name: 'First Brew', description: 'Ran a first generation.', icon: 'flask-conical', category: 'milestone', xpReward: 10, sortOrder: 10 },
  { id: 'centaur', name: 'Centaur', description: 'Ran 100 generations.', icon: 'zap', category: 'milestone', xpReward: 100, sortOrder: 20 },
  { id: 'hydra', name: 'Hydra', description: 'Ran 1,000 generations.', icon: 'network', category: 'milestone', xpReward: 500, sortOrder: 30 },
  { id: 'kindling', name: 'Kindling', description: 'Generated on 7 days in a row.', icon: 'flame', category: 'streak', xpReward: 50, sortOrder: 40 },
  { id: 'inferno', name: 'Inferno', description: 'Generated on 30 days in a row.', icon: 'flame-kindling', category: 'streak', xpReward: 300, sortOrder: 50 },
  { id: 'ranger', name: 'Ranger', description: 'Used 5 or more image models.', icon: 'compass', category: 'model', xpReward: 75, sortOrder: 60 },
  { id: 'sigil', name: 'Sigil', description: 'Tagged 50 or more assets with brands.', icon: 'tags', category: 'quality', xpReward: 150, sortOrder: 70 },
  { id: 'illusionist', name: 'Illusionist', description: 'Generated a first video.', icon: 'clapperboard', category: 'video', xpReward: 25, sortOrder: 80 },
  { id: 'conjurer', name: 'Conjurer', description: 'Generated 50 videos.', icon: 'film', category: 'video', xpReward: 250, sortOrder: 90 },
  { id: 'early_adopter', name: 'Early Adopter', description: 'Joined in the first month.', icon: 'rocket', category: 'special', xpReward: 100, sortOrder: 100 },
  { id: 'admin', name: 'Admin', description: 'Runs this place.', icon: 'shield-check', category: 'special', xpReward: 0, sortOrder: 110 },
  { id: 'founder', name: 'Founder', description: 'Built this place.', icon: 'crown', category: 'special', xpReward: 0, sortOrder: 120 },
];

/**
 * Ids the catalogue once defined and no longer does: the only badges a sync may delete. When a
 * badge leaves BADGES, its id moves here. Every other id in the table is an operator's own badge
 * (created in the console) and is never the sync's to remove: deleting it took every award of it
 * with it through the cascade.
 */
export const RETIRED_BADGE_IDS: readonly string[] = [];

/** The catalogue's fields a sync keeps in place; ids, awards and timestamps are the table's. */
const SYNCED = ['name', 'description', 'icon', 'category', 'xpReward', 'sortOrder'] as const;
/** A definition as its row holds it: an omitted number is the column's default, 0. */
const asStored = (b: NewBadge) => ({ ...b, xpReward: b.xpReward ?? 0, sortOrder: b.sortOrder ?? 0 });

/**
 * Brings the catalogue's badges up to date: upserts the definitions whose row is missing or
 * differs and deletes the retired ones (their user_badges rows go with them through the cascade).
 * Every start runs it, and almost always finds everything in place: then it is one read, with
 * no write, no trigger and no commit to flush. Safe to run on every deploy.
 */
export async function seedBadges(
  db: Db,
  catalogue: NewBadge[] = BADGES,
  retired: readonly string[] = RETIRED_BADGE_IDS,
): Promise<{ upserted: number; removed: string[] }> {
  const defined = new Set(catalogue.map((b) => b.id));
  const stillDefined = retired.filter((id) => defined.has(id));
  if (stillDefined.length) throw new Error(`badge ids both defined and retired: ${stillDefined.join(', ')}`);
  const rows = new Map((await db.select().from(badges).where(inArray(badges.id, [...defined, ...retired] as string[]))).map((r) => [r.id, r]));
  const stale = catalogue.map(asStored).filter((b) => {
    const row = rows.get(b.id);
    return !row || SYNCED.some((field) => row[field] !== b[field]);
  });
  const present = retired.filter((id) => rows.has(id));
  if (!stale.length && !present.length) return { upserted: 0, removed: [] };
  return db.transaction(async (tx) => {
    if (stale.length) {
      await tx
        .insert(badges)
        .values(stale)
        .onConflictDoUpdate({
          target: badges.id,
          set: {
            name: sql`excluded.name`,
            description: sql`excluded.description`,
            icon: sql`excluded.icon`,
            category: sql`excluded.category`,
            xpReward: sql`excluded.xp_reward`,
            sortOrder: sql`excluded.sort_order`,
            updatedAt: sql`now()`,
          },
        });
    }
    const removed = present.length ? await tx.delete(badges).where(inArray(badges.id, present)).returning({ id: badges.id }) : [];
    return { upserted: stale.length, removed: removed.map((r) => r.id) };
  });
}
