import { randomBytes } from 'node:crypto';
import { count, eq } from 'drizzle-orm';
import { encryptSecret, sha256, type KeyRing } from '../../crypto/secretBox';
import type { Db } from '../client';
import {
  affiliates,
  aiProviderKeys,
  apiKeys,
  assets,
  brands,
  creditTransactions,
  credits,
  feedbacks,
  generations,
  members,
  orders,
  organizations,
  posts,
  teamMembers,
  teams,
  userBadges,
  users,
  userXp,
  waitlist,
  xpTransactions,
  type NewCreditTransaction,
  type NewGeneration,
  type NewOrder,
  type NewUser,
} from '../schema';
import { seedAuthRecords, seedGenerationAssets, seedWorkspaces } from './demoStudio';
import { levelFor } from '../../gamification/xp';
import { seededRandom, type Random } from './random';

const FIRST = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Ken', 'Barbara', 'Dennis', 'Radia', 'Guido', 'Frances', 'Tim', 'Hedy', 'Donald', 'Katherine', 'Edsger', 'Shafi', 'John', 'Sophie', 'Yukihiro', 'Anita', 'Bjarne', 'Carol', 'Leslie'];
const LAST = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Thompson', 'Liskov', 'Ritchie', 'Perlman', 'van Rossum', 'Allen', 'Berners-Lee', 'Lamarr', 'Knuth', 'Johnson', 'Dijkstra', 'Goldwasser', 'McCarthy', 'Wilson', 'Matsumoto', 'Borg', 'Stroustrup', 'Shaw', 'Lamport'];
const DOMAINS = ['example.com', 'example.org', 'mail.test', 'studio.test', 'acme.test'];
const PRODUCTS = [
  { id: 'starter', name: 'Starter pack', amount: 900, credits: 100, interval: 'one_time' as const },
  { id: 'pro-month', name: 'Pro monthly', amount: 2900, credits: 500, interval: 'month' as const },
  { id: 'pro-year', name: 'Pro yearly', amount: 29000, credits: 6000, interval: 'year' as const },
  { id: 'studio', name: 'Studio pack', amount: 9900, credits: 2000, interval: 'one_time' as const },
];
const MODELS = [
  { provider: 'openai', model: 'gpt-4o', aiType: 'text' as const, cost: 1 },
  { provider: 'openai', model: 'gpt-image-1', aiType: 'image' as const, cost: 4 },
  { provider: 'replicate', model: 'flux-1.1-pro', aiType: 'image' as const, cost: 5 },
  { provider: 'replicate', model: 'sdxl', aiType: 'image' as const, cost: 2 },
  { provider: 'fal', model: 'kling-2.1', aiType: 'video' as const, cost: 20 },
  { provider: 'anthropic', model: 'claude-sonnet-4', aiType: 'text' as const, cost: 1 },
  { provider: 'replicate', model: 'minimax-video-01', aiType: 'video' as const, cost: 25 },
];
const PROMPTS = ['a lighthouse at dusk, oil painting', 'product shot of a ceramic mug', 'summarise this support ticket', 'logo for a coffee roaster', 'a fox in a snowy forest, cinematic', 'write a launch tweet', 'isometric city block at night', 'portrait in the style of a 1970s film still'];
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DemoSummary {
  users: number;
  orders: number;
  creditTransactions: number;
  generations: number;
  affiliates: number;
  assets: number;
  projects: number;
}

export async function hasDemoData(db: Db): Promise<boolean> {
  const [row] = await db.select({ n: count() }).from(users);
  return (row?.n ?? 0) > 0;
}

/** A user's ledger as it is built, so every balance row equals the sum of its entries. */
class Ledger {
  entries: NewCreditTransaction[] = [];
  balance = 0;
  granted = 0;
  constructor(private userId: number) {}
  add(type: NewCreditTransaction['type'], amount: number, at: Date, extra: Partial<NewCreditTransaction> = {}) {
    this.balance += amount;
    if (amount > 0) this.granted += amount;
    this.entries.push({ userId: this.userId, type, amount, balanceAfter: this.balance, createdAt: at, ...extra });
  }
}

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>, size = 500) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

/**
 * Fills an empty database with a believable AI-SaaS dataset: users with orders, ledgers whose sums
 * equal their balances, generations across providers, affiliates, badges, encrypted provider keys.
 */
export async function seedDemo(db: Db, ring: KeyRing, opts: { users?: number; seed?: number; now?: Date } = {}): Promise<DemoSummary> {
  const rnd = seededRandom(opts.seed ?? 42);
  const now = opts.now ?? new Date();
  const n = opts.users ?? 300;
  const launch = new Date(now.getTime() - 180 * DAY);
  // The tables added after the first demo draw from a stream of their own, so the older tables keep
  // the exact rows they always had.
  const more = seededRandom((opts.seed ?? 42) + 1);

  return db.transaction(async (tx) => {
    const userRows: NewUser[] = Array.from({ length: n }, (_, i) => {
      const first = rnd.pick(FIRST);
      const last = rnd.pick(LAST);
      const createdAt = new Date(launch.getTime() + Math.floor(rnd.next() * 175 * DAY));
      const banned = rnd.chance(0.03);
      return {
        email: `${first}.${last.replace(/\W/g, '')}${i + 1}@${rnd.pick(DOMAINS)}`.toLowerCase(),
        name: `${first} ${last}`,
        nickname: first.toLowerCase(),
        avatarUrl: `https://i.pravatar.cc/150?u=${i + 1}`,
        role: 'member',
        banned,
        banReason: banned ? rnd.pick(['chargeback fraud', 'abusive prompts', 'shared account']) : null,
        isAffiliate: rnd.chance(0.08),
        locale: rnd.pick(['en', 'en', 'en', 'de', 'fr', 'ja', 'es']),
        signinProvider: rnd.pick(['google', 'github', 'email']),
        ...verifiedAndLimits(more, createdAt),
        createdAt,
        updatedAt: createdAt,
      };
    });
    const inserted = await tx.insert(users).values(userRows).returning({ id: users.id, createdAt: users.createdAt, isAffiliate: users.isAffiliate, email: users.email });
    const affiliateIds = inserted.filter((u) => u.isAffiliate).map((u) => u.id);

    const ledgers = new Map<number, Ledger>();
    const orderRows: (NewOrder & { userId: number })[] = [];
    const genRows: NewGeneration[] = [];
    const invitedBy = new Map<number, number>();

    // Everything a user does happens between sign-up and an hour ago, spread over that span, so the
    // dashboard's series look like a real app's instead of piling up on the last day.
    const sometimeAfter = (from: Date) => new Date(from.getTime() + Math.floor(rnd.next() * Math.max(0, now.getTime() - HOUR - from.getTime())));
    for (const u of inserted) {
      if (affiliateIds.length && !affiliateIds.includes(u.id) && rnd.chance(0.2)) invitedBy.set(u.id, rnd.pick(affiliateIds));
      ledgers.set(u.id, new Ledger(u.id));

      const orderCount = rnd.chance(0.45) ? rnd.int(1, 3) : 0;
      for (let k = 0; k < orderCount; k++) {
        const p = rnd.pick(PRODUCTS);
        const createdAt = sometimeAfter(u.createdAt);
        let status = rnd.pick(['paid', 'paid', 'paid', 'paid', 'paid', 'pending', 'failed', 'cancelled', 'refunded'] as const);
        // A refund comes three days after payment; one that would land in the future has not happened yet.
        const refundedAt = new Date(createdAt.getTime() + 3 * DAY);
        if (status === 'refunded' && refundedAt.getTime() > now.getTime() - HOUR) status = 'paid';
        orderRows.push({
          orderNo: `ORD-${createdAt.getTime().toString(36).toUpperCase()}-${u.id}-${k}`,
          userId: u.id,
          productId: p.id,
          productName: p.name,
          amount: p.amount,
          currency: 'usd',
          status,
          credits: p.credits,
          payType: rnd.pick(['stripe', 'stripe', 'paypal']),
          paidEmail: u.email,
          interval: p.interval,
          subscriptionId: p.interval === 'one_time' ? null : `sub_${randomBytes(6).toString('hex')}`,
          paidAt: status === 'paid' || status === 'refunded' ? createdAt : null,
          refundedAt: status === 'refunded' ? refundedAt : null,
          createdAt,
          updatedAt: createdAt,
        });
      }
    }

    const insertedOrders = orderRows.length
      ? await tx.insert(orders).values(orderRows).returning({ id: orders.id, userId: orders.userId, status: orders.status, credits: orders.credits, amount: orders.amount, paidAt: orders.paidAt, refundedAt: orders.refundedAt, paidEmail: orders.paidEmail, createdAt: orders.createdAt })
      : [];

    const affiliateRows: (typeof affiliates.$inferInsert)[] = [];
    const ordersByUser = new Map<number, typeof insertedOrders>();
    for (const o of insertedOrders) {
      ordersByUser.set(o.userId, [...(ordersByUser.get(o.userId) ?? []), o]);
      const referrer = invitedBy.get(o.userId);
      if (!referrer || (o.status !== 'paid' && o.status !== 'refunded')) continue;
      const rate = 2000;
      const refunded = o.status === 'refunded';
      const age = now.getTime() - o.createdAt.getTime();
      const status = refunded ? 'reversed' : age > 60 * DAY ? 'paid' : age > 20 * DAY ? 'approved' : 'pending';
      affiliateRows.push({
        userId: referrer,
        orderId: o.id,
        customerEmail: o.paidEmail,
        orderAmount: o.amount,
        commissionRateBps: rate,
        commissionAmount: refunded ? 0 : Math.round((o.amount * rate) / 10000),
        status,
        approvedAt: status === 'approved' || status === 'paid' ? new Date(o.createdAt.getTime() + 14 * DAY) : null,
        paidAt: status === 'paid' ? new Date(o.createdAt.getTime() + 45 * DAY) : null,
        createdAt: o.createdAt,
        updatedAt: o.createdAt,
      });
    }

    // Each user's history replayed in time order: grants, refunds and generation charges, so
    // balance_after is the running sum and no balance ever dips below zero.
    let genSeq = 0;
    for (const u of inserted) {
      const ledger = ledgers.get(u.id)!;
      type Event = { at: number; apply: () => void };
      const events: Event[] = [{ at: u.createdAt.getTime(), apply: () => ledger.add('new_user', 50, u.createdAt, { description: 'Welcome credits' }) }];
      // Credits of an order that will be refunded are never spent, so the refund can reverse them whole.
      let reserved = 0;
      for (const o of ordersByUser.get(u.id) ?? []) {
        if (o.status !== 'paid' && o.status !== 'refunded') continue;
        const refunded = o.status === 'refunded';
        events.push({ at: o.paidAt!.getTime(), apply: () => (ledger.add('order_pay', o.credits, o.paidAt!, { orderId: o.id, description: 'Order paid' }), (reserved += refunded ? o.credits : 0)) });
        if (refunded) events.push({ at: o.refundedAt!.getTime(), apply: () => (ledger.add('refund', -o.credits, o.refundedAt!, { orderId: o.id, description: 'Order refunded' }), (reserved -= o.credits)) });
      }
      const gens = rnd.chance(0.7) ? rnd.int(1, 25) : 0;
      for (let g = 0; g < gens; g++) {
        const createdAt = sometimeAfter(u.createdAt);
        events.push({ at: createdAt.getTime(), apply: () => charge(createdAt) });
      }
      if (rnd.chance(0.05)) {
        const at = sometimeAfter(u.createdAt);
        events.push({ at: at.getTime(), apply: () => ledger.add('admin_adjust', rnd.int(5, 50), at, { description: 'Goodwill credit after an outage' }) });
      }
      const charge = (createdAt: Date) => {
        const m = rnd.pick(MODELS);
        const status = rnd.pick(['completed', 'completed', 'completed', 'completed', 'failed', 'processing', 'pending'] as const);
        const cost = status === 'failed' ? 0 : m.cost;
        if (cost > ledger.balance - reserved) return;
        const genId = `gen_${(++genSeq).toString(36).padStart(6, '0')}_${u.id}`;
        const durationMs = status === 'completed' ? rnd.int(800, m.aiType === 'video' ? 180_000 : 20_000) : null;
        genRows.push({
          genId,
          userId: u.id,
          aiType: m.aiType,
          provider: m.provider,
          model: m.model,
          prompt: rnd.pick(PROMPTS),
          resultUrls: status === 'completed' && m.aiType !== 'text' ? [`https://cdn.example.com/${genId}.${m.aiType === 'video' ? 'mp4' : 'png'}`] : [],
          status,
          providerJobId: `job_${randomBytes(5).toString('hex')}`,
          creditsCost: cost,
          costEstimateUsd: Number((cost * 0.004).toFixed(4)),
          durationMs,
          error: status === 'failed' ? rnd.pick(['provider timeout', 'content policy violation', 'rate limited by provider']) : null,
          xpEarned: status === 'completed' ? XP_PER_GENERATION : 0,
          createdAt,
          completedAt: durationMs ? new Date(createdAt.getTime() + durationMs) : null,
        });
        if (cost) ledger.add('ai_generation', -cost, createdAt, { generationId: genId, description: `${m.model} generation` });
      };
      events.sort((a, b) => a.at - b.at);
      for (const e of events) e.apply();
    }

    const made: { id: number; genId: string }[] = [];
    await insertChunked(genRows, async (c) => made.push(...(await tx.insert(generations).values(c).returning({ id: generations.id, genId: generations.genId }))));
    const genIds = new Map(made.map((g) => [g.genId, g.id]));
    const allEntries = [...ledgers.values()].flatMap((l) => l.entries);
    await insertChunked(allEntries, (c) => tx.insert(creditTransactions).values(c));
    await insertChunked(
      [...ledgers.entries()].map(([userId, l]) => ({ userId, leftCredits: l.balance, totalCredits: l.granted })),
      (c) => tx.insert(credits).values(c),
    );
    if (affiliateRows.length) await insertChunked(affiliateRows, (c) => tx.insert(affiliates).values(c));
    for (const [userId, referrer] of invitedBy) {
      await tx.update(users).set({ invitedBy: referrer }).where(eq(users.id, userId));
    }

    await seedGamification(tx as unknown as Db, rnd, inserted, genRows, genIds);
    await seedProviderKeys(tx as unknown as Db, ring);
    const workspaces = await seedContent(tx as unknown as Db, rnd, inserted, now);
    const assetCount = await seedGenerationAssets(
      tx as unknown as Db,
      more,
      genRows.filter((g) => g.status === 'completed').map((g) => ({ ...g, id: genIds.get(g.genId)!, resultUrls: g.resultUrls ?? [], costEstimateUsd: g.costEstimateUsd ?? null, durationMs: g.durationMs ?? null, createdAt: g.createdAt! })),
    );
    const projectCount = await seedWorkspaces(tx as unknown as Db, more, workspaces, now);
    await seedAuthRecords(tx as unknown as Db, more, now);

    return {
      users: inserted.length,
      orders: insertedOrders.length,
      creditTransactions: allEntries.length,
      generations: genRows.length,
      affiliates: affiliateRows.length,
      assets: assetCount,
      projects: projectCount,
    };
  });
}

const XP_PER_GENERATION = 2;

/** Most users confirmed their email; limits and video access vary as an app's plans would. */
function verifiedAndLimits(rnd: Random, createdAt: Date): Pick<NewUser, 'emailVerified' | 'emailVerifiedAt' | 'dailyGenerationLimit' | 'videoAccess'> {
  const verified = rnd.chance(0.85);
  return {
    emailVerified: verified,
    emailVerifiedAt: verified ? new Date(createdAt.getTime() + rnd.int(1, 120) * 60_000) : null,
    dailyGenerationLimit: rnd.pick([20, 50, 50, 50, 200]),
    videoAccess: rnd.chance(0.15),
  };
}

async function seedGamification(db: Db, rnd: Random, people: { id: number; createdAt: Date }[], gens: NewGeneration[], genIds: Map<string, number>) {
  const byUser = new Map<number, NewGeneration[]>();
  for (const g of gens) byUser.set(g.userId, [...(byUser.get(g.userId) ?? []), g]);
  const badgeRows: (typeof userBadges.$inferInsert)[] = [];
  const xpRows: (typeof xpTransactions.$inferInsert)[] = [];
  const firstMonthEnd = Math.min(...people.map((p) => p.createdAt.getTime())) + 30 * DAY;
  const XP = { first_brew: 10, illusionist: 25, early_adopter: 100 };
  for (const p of people) {
    const mine = (byUser.get(p.id) ?? []).filter((g) => g.status === 'completed');
    const award = (badgeId: keyof typeof XP, at: Date) => {
      badgeRows.push({ userId: p.id, badgeId, awardedAt: at });
      xpRows.push({ userId: p.id, amount: XP[badgeId], source: 'badge_reward', referenceId: badgeId, createdAt: at });
    };
    if (mine.length) award('first_brew', mine[0]!.createdAt!);
    const video = mine.find((g) => g.aiType === 'video');
    if (video) award('illusionist', video.createdAt!);
    if (p.createdAt.getTime() < firstMonthEnd) award('early_adopter', p.createdAt);
    for (const g of mine) xpRows.push({ userId: p.id, amount: XP_PER_GENERATION, source: 'generation', referenceId: g.genId, generationId: genIds.get(g.genId), createdAt: g.createdAt });
    if (rnd.chance(0.02)) xpRows.push({ userId: p.id, amount: 50, source: 'admin_grant', description: 'Community contest winner', createdAt: p.createdAt });
  }
  await insertChunked(badgeRows, (c) => db.insert(userBadges).values(c));
  await insertChunked(xpRows, (c) => db.insert(xpTransactions).values(c));
  const totals = new Map<number, number>();
  for (const x of xpRows) totals.set(x.userId, (totals.get(x.userId) ?? 0) + x.amount);
  await insertChunked(
    [...totals].map(([userId, totalXp]) => ({ userId, totalXp, level: levelFor(totalXp) })),
    (c) => db.insert(userXp).values(c),
  );
}

async function seedProviderKeys(db: Db, ring: KeyRing) {
  const providers = [
    { provider: 'openai', label: 'OpenAI production', config: { defaultModel: 'gpt-4o', imageModel: 'gpt-image-1' } },
    { provider: 'replicate', label: 'Replicate', config: { models: ['flux-1.1-pro', 'sdxl', 'minimax-video-01'] } },
    { provider: 'anthropic', label: 'Anthropic', config: { defaultModel: 'claude-sonnet-4' } },
    { provider: 'fal', label: 'fal.ai video', config: { models: ['kling-2.1'] }, enabled: false },
  ];
  await db.insert(aiProviderKeys).values(
    providers.map((p) => {
      // Random demo material: nothing in the repository ever looks like a usable key.
      const plaintext = `sk-demo-${p.provider}-${randomBytes(18).toString('hex')}`;
      const { ciphertext, keyVersion } = encryptSecret(ring, plaintext);
      return { provider: p.provider, label: p.label, encryptedKey: ciphertext, keyVersion, lastFour: plaintext.slice(-4), modelConfig: p.config, enabled: p.enabled ?? true };
    }),
  );
}

async function seedContent(db: Db, rnd: Random, people: { id: number; createdAt: Date; email: string }[], now: Date) {
  const some = people.filter(() => rnd.chance(0.1));
  await db.insert(apiKeys).values(
    some.map((p, i) => {
      const key = `ok_live_${randomBytes(20).toString('hex')}`;
      return { name: rnd.pick(['CLI', 'Zapier', 'Production', 'Staging']), keyHash: sha256(key), prefix: key.slice(0, 12), userId: p.id, status: i % 7 === 0 ? ('revoked' as const) : ('active' as const), lastUsedAt: new Date(now.getTime() - rnd.int(1, 20) * DAY) };
    }),
  );
  await db.insert(feedbacks).values(
    people.filter(() => rnd.chance(0.12)).map((p) => ({ userId: p.id, rating: rnd.int(1, 5), content: rnd.pick(['Love the video models!', 'Generations are slow in the evening.', 'Please add more styles.', 'Billing page was confusing.', 'Great product.']), createdAt: new Date(p.createdAt.getTime() + DAY) })),
  );
  await db.insert(posts).values([
    { title: 'Introducing video generations', slug: 'introducing-video', status: 'published', content: '# Video is here\n\nKling and MiniMax are now available.', description: 'Launch notes' },
    { title: 'Pricing update', slug: 'pricing-update', status: 'published', content: 'Credits now never expire.' },
    { title: 'Roadmap Q4', slug: 'roadmap-q4', status: 'draft', content: 'Draft: brand kits, team workspaces.' },
    { title: 'Vidéo : c’est parti', slug: 'introducing-video', locale: 'fr', status: 'published', content: 'Les vidéos arrivent.' },
  ]);
  await db.insert(waitlist).values(Array.from({ length: 40 }, (_, i) => ({ email: `waiting${i + 1}@example.net`, source: rnd.pick(['landing', 'twitter', 'producthunt']), createdAt: new Date(now.getTime() - rnd.int(1, 90) * DAY) })));

  const orgs = await db
    .insert(organizations)
    .values(['Acme Studio', 'Nimbus Labs', 'Pixel Foundry', 'Quill & Co', 'Northwind Media'].map((name) => ({ name, slug: name.toLowerCase().replace(/[^a-z]+/g, '-') })))
    .returning({ id: organizations.id });
  const workspaces: { id: number; team: typeof people; teamId: number | null }[] = [];
  for (const org of orgs) {
    const team = people.filter(() => rnd.chance(0.03)).slice(0, 6);
    if (!team.length) continue;
    await db.insert(members).values(team.map((p, i) => ({ organizationId: org.id, userId: p.id, role: i === 0 ? ('owner' as const) : ('member' as const) })));
    const [t] = await db.insert(teams).values({ organizationId: org.id, name: 'Design' }).returning({ id: teams.id });
    await db.insert(teamMembers).values(team.slice(0, 3).map((p) => ({ teamId: t!.id, userId: p.id })));
    workspaces.push({ id: org.id, team, teamId: t!.id });
  }
  const brandOwners = people.filter(() => rnd.chance(0.05));
  if (brandOwners.length) {
    const b = await db.insert(brands).values(brandOwners.map((p) => ({ userId: p.id, name: `${p.email.split('@')[0]} brand`, primaryColor: rnd.pick(['#1e88e5', '#e53935', '#43a047']) }))).returning({ id: brands.id, userId: brands.userId });
    await db.insert(assets).values(b.map((x) => ({ userId: x.userId, kind: 'image' as const, url: `https://cdn.example.com/brand-${x.id}.png`, title: 'Logo' })));
  }
  return workspaces;
}
