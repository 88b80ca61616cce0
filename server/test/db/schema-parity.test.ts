import { createTableRelationsHelpers, eq, extractTablesRelationalConfig, is, One, sql } from 'drizzle-orm';
import { getTableConfig, PgTable } from 'drizzle-orm/pg-core';
import { icons } from 'lucide';
import { describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import * as schema from '../../src/db/schema';
import { BADGES } from '../../src/db/seed/badges';
import { describeEachEngine } from '../support/testServer';

const { assets, generations, organizations, projectImages, projects, projectVideos, users, xpTransactions } = schema;
const tables = (Object.values(schema) as unknown[]).filter((v) => is(v, PgTable)) as PgTable[];

describe('Drizzle relations', () => {
  it('every foreign key in the schema has a one() relation over the same columns', () => {
    const { tables: relational } = extractTablesRelationalConfig(schema, createTableRelationsHelpers);
    const missing: string[] = [];
    for (const table of tables) {
      const config = getTableConfig(table);
      const relationsOf = Object.values(relational).find((t) => t.dbName === config.name)?.relations ?? {};
      const covered = Object.values(relationsOf)
        .filter((r): r is One => is(r, One))
        .map((r) => (r.config?.fields ?? []).map((f) => f.name).join(','));
      for (const fk of config.foreignKeys) {
        const columns = fk.reference().columns.map((c) => c.name).join(',');
        if (!covered.includes(columns)) missing.push(`${config.name}(${columns})`);
      }
    }
    expect(missing).toEqual([]);
  });
});

describe('the badge catalogue', () => {
  it("uses the guide's six categories and names real Lucide icons", () => {
    expect(schema.badgeCategory.enumValues).toEqual(['milestone', 'streak', 'model', 'quality', 'video', 'special']);
    const pascal = (name: string) => name.replace(/(^|-)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
    for (const badge of BADGES) {
      expect(badge.icon, badge.id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(icons, `${badge.id}: ${badge.icon}`).toHaveProperty(pascal(badge.icon));
    }
    expect(new Set(BADGES.map((b) => b.category))).toEqual(new Set(schema.badgeCategory.enumValues));
  });
});

describeEachEngine('schema parity', (server) => {
  const db = () => server().ctx.database.db;

  it('an app writing users directly gets an invite code and a refreshed updated_at from the database', async () => {
    const [row] = await queryRows<{ id: number; invite_code: string; updated_at: Date }>(
      db(),
      sql`insert into users (email) values ('direct@example.com') returning id, invite_code, updated_at`,
    );
    expect(row!.invite_code).toMatch(schema.INVITE_CODE_PATTERN);
    await db().execute(sql`update users set updated_at = '2020-01-01T00:00:00Z' where id = ${row!.id}`);
    const [kept] = await queryRows<{ updated_at: Date }>(db(), sql`select updated_at from users where id = ${row!.id}`);
    expect(new Date(kept!.updated_at).toISOString()).toBe('2020-01-01T00:00:00.000Z');
    await db().execute(sql`update users set name = 'Direct' where id = ${row!.id}`);
    const [moved] = await queryRows<{ updated_at: Date }>(db(), sql`select updated_at from users where id = ${row!.id}`);
    expect(new Date(moved!.updated_at).getTime()).toBeGreaterThan(Date.parse('2020-01-02'));
  });

  it('every table with updated_at has the refresh trigger', async () => {
    const withUpdatedAt = tables.map((t) => getTableConfig(t)).filter((c) => c.columns.some((col) => col.name === 'updated_at')).map((c) => c.name);
    const triggers = await queryRows<{ table_name: string }>(
      db(),
      sql`select c.relname as table_name from pg_trigger t join pg_class c on c.oid = t.tgrelid
          join pg_proc p on p.oid = t.tgfoid where p.proname = 'set_updated_at' and not t.tgisinternal`,
    );
    expect(withUpdatedAt.length).toBeGreaterThan(10);
    expect(triggers.map((r) => r.table_name).sort()).toEqual([...withUpdatedAt].sort());
  });

  it('db.query follows relations: workspace → projects → images/videos, generation ↔ asset, XP → generation', async () => {
    const [owner] = await db().insert(users).values({ email: 'owner@studio.test', dailyGenerationLimit: 20, videoAccess: true }).returning();
    const [org] = await db().insert(organizations).values({ name: 'Studio', slug: 'studio', ownerId: owner!.id, metadata: { plan: 'pro' } }).returning();
    const [project] = await db().insert(projects).values({ organizationId: org!.id, userId: owner!.id, name: 'Living room', status: 'processing' }).returning();
    const [image] = await db()
      .insert(projectImages)
      .values({ projectId: project!.id, originalUrl: 'https://cdn.test/a.jpg', originalStorageKey: 'a.jpg', styleTemplate: 'nordic', status: 'completed' })
      .returning();
    await db().insert(projectVideos).values({ projectId: project!.id, sourceImageId: image!.id, storageKey: 'a.mp4', durationSeconds: 5, status: 'pending' });
    const [gen] = await db()
      .insert(generations)
      .values({ genId: 'g-rel-1', userId: owner!.id, aiType: 'video', provider: 'kling', model: 'kling-2', prompt: 'a fox', status: 'completed', xpEarned: 15 })
      .returning();
    const [asset] = await db()
      .insert(assets)
      .values({ userId: owner!.id, generationId: gen!.id, kind: 'video', url: 'https://cdn.test/fox.mp4', prompt: 'a fox', model: 'kling-2', provider: 'kling', storageKey: 'fox.mp4', width: 1280, height: 720, fileSizeBytes: 5_000_000_000, costEstimateUsd: 0.42, durationSeconds: 5.5, hasAudio: true })
      .returning();
    await db().update(generations).set({ assetId: asset!.id }).where(eq(generations.id, gen!.id));
    await db().insert(xpTransactions).values({ userId: owner!.id, amount: 15, source: 'generation', generationId: gen!.id });

    const found = await db().query.organizations.findMany({
      where: eq(organizations.id, org!.id),
      with: { owner: true, projects: { with: { images: { with: { videos: true } }, videos: { with: { sourceImage: true } } } } },
    });
    expect(found[0]!.owner!.email).toBe('owner@studio.test');
    expect(found[0]!.metadata).toEqual({ plan: 'pro' });
    const p = found[0]!.projects[0]!;
    expect(p.images[0]!.videos).toHaveLength(1);
    expect(p.videos[0]!.sourceImage!.styleTemplate).toBe('nordic');

    const xp = await db().query.xpTransactions.findMany({ where: eq(xpTransactions.userId, owner!.id), with: { generation: { with: { asset: true } } } });
    expect(xp[0]!.generation!.xpEarned).toBe(15);
    expect(xp[0]!.generation!.asset).toMatchObject({ storageKey: 'fox.mp4', fileSizeBytes: 5_000_000_000, hasAudio: true, durationSeconds: 5.5 });
    const user = await db().query.users.findFirst({ where: eq(users.id, owner!.id), with: { ownedOrganizations: true, assets: { with: { generation: true } } } });
    expect(user).toMatchObject({ dailyGenerationLimit: 20, videoAccess: true, emailVerified: false });
    expect(user!.assets[0]!.generation!.genId).toBe('g-rel-1');
  });

  it('xp_transactions.generation_id is a real foreign key', async () => {
    const [u] = await db().insert(users).values({ email: 'fk@example.com' }).returning();
    await expect(db().insert(xpTransactions).values({ userId: u!.id, amount: 1, source: 'generation', generationId: 987654321 })).rejects.toThrow();
  });
});
