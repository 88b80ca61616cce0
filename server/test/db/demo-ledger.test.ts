import { sql } from 'drizzle-orm';
import { expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { signIn } from '../support/operators';
import { describeEachEngine } from '../support/testServer';

// The demo dataset is what operators first see: its books must balance like real ones would.
describeEachEngine(
  'the demo data',
  (server) => {
    const rows = <T>(query: ReturnType<typeof sql>) => queryRows<T>(server().ctx.database.db, query);

    it('has users with balances, orders and ledgers to look at', async () => {
      const [counts] = await rows<{ members: number; orders: number; entries: number }>(sql`
        select (select count(*)::int from credits) as members, (select count(*)::int from orders) as orders,
               (select count(*)::int from credit_transactions) as entries`);
      expect(counts!.members).toBe(300);
      expect(counts!.orders).toBeGreaterThan(100);
      expect(counts!.entries).toBeGreaterThan(counts!.members);
    });

    it("every user's ledger sums to their balance, and total credits to the sum of grants", async () => {
      // Operator accounts have neither a balance nor a ledger; anyone with one must have the other.
      const mismatched = await rows(sql`
        select coalesce(c.user_id, l.user_id) as user_id, c.left_credits, c.total_credits, l.sum, l.granted
        from credits c
        full join (select user_id, sum(amount)::int as sum, coalesce(sum(amount) filter (where amount > 0), 0)::int as granted
                   from credit_transactions group by user_id) l on l.user_id = c.user_id
        where c.user_id is null or l.user_id is null or c.left_credits <> l.sum or c.total_credits <> l.granted`);
      expect(mismatched).toEqual([]);
    });

    it('nothing in the books is dated in the future', async () => {
      const [future] = await rows<{ n: number }>(sql`
        select (select count(*) from credit_transactions where created_at > now())
             + (select count(*) from orders where paid_at > now() or refunded_at > now())
             + (select count(*) from generations where created_at > now() or completed_at > now()) as n`);
      expect(Number(future!.n)).toBe(0);
    });

    it('no ledger entry leaves a negative balance, and each balance_after is the running sum in time order', async () => {
      const wrong = await rows(sql`
        select id, user_id, balance_after, running from (
          select id, user_id, balance_after,
                 sum(amount) over (partition by user_id order by created_at, id)::int as running
          from credit_transactions) t
        where balance_after < 0 or running < 0 or balance_after is distinct from running
        limit 5`);
      expect(wrong).toEqual([]);
    });

    it("paid orders credit the buyer once, refunded ones are reversed, unpaid ones never touch the ledger", async () => {
      const wrong = await rows(sql`
        select o.id, o.status, o.credits,
               coalesce(sum(t.amount) filter (where t.type = 'order_pay'), 0)::int as paid,
               coalesce(sum(t.amount) filter (where t.type = 'refund'), 0)::int as refunded,
               count(t.id)::int as entries,
               bool_and(t.user_id = o.user_id) as same_user
        from orders o left join credit_transactions t on t.order_id = o.id
        group by o.id
        having not case o.status
          when 'paid' then count(t.id) = 1 and sum(t.amount) = o.credits and bool_and(t.type = 'order_pay')
          when 'refunded' then count(t.id) = 2 and sum(t.amount) filter (where t.type = 'order_pay') = o.credits
                              and sum(t.amount) filter (where t.type = 'refund') = -o.credits
          else count(t.id) = 0
        end or not coalesce(bool_and(t.user_id = o.user_id), true)`);
      expect(wrong).toEqual([]);
    });

    it('each charged generation is one ledger debit of its credit cost', async () => {
      const wrong = await rows(sql`
        select g.gen_id, g.credits_cost, t.amount
        from generations g
        left join credit_transactions t on t.generation_id = g.gen_id and t.type = 'ai_generation'
        where (g.credits_cost > 0 and (t.amount is null or t.amount <> -g.credits_cost or t.user_id <> g.user_id))
           or (g.credits_cost = 0 and t.id is not null)
        limit 5`);
      expect(wrong).toEqual([]);
    });

    it('the console lists workspaces with owners, invitations into teams, projects with images and videos, and assets with how they were made', async () => {
      const { session } = await signIn(server(), 'support');
      const dp = session.dataProvider();
      const page = { pagination: { page: 1, perPage: 100 }, sort: { field: 'id', order: 'ASC' as const }, filter: {} };
      const list = async (resource: string, filter = {}) => dp.getList(resource, { ...page, filter });

      const orgs = await list('organizations');
      const owned = orgs.data.filter((o) => o.owner_id !== null);
      expect(owned.length).toBeGreaterThan(0);
      expect(owned[0]!.metadata).toMatchObject({ plan: expect.any(String), seats: expect.any(Number) });
      expect((await list('invitations')).data.some((i) => i.team_id !== null)).toBe(true);

      const projects = await list('projects');
      expect(projects.total).toBeGreaterThan(0);
      const images = await list('project_images', { project_id: projects.data[0]!.id });
      expect(images.total).toBeGreaterThan(1);
      expect(images.data[0]).toMatchObject({ original_url: expect.stringMatching(/^https:/), original_storage_key: expect.any(String), style_template: expect.any(String) });
      const videos = await list('project_videos', { status: 'completed' });
      expect(videos.total).toBeGreaterThan(0);
      expect(videos.data[0]).toMatchObject({ source_image_id: expect.any(Number), storage_key: expect.stringMatching(/\.mp4$/), duration_seconds: expect.any(Number) });

      const videoAssets = await list('assets', { kind: 'video' });
      const made = videoAssets.data.find((a) => a.generation_id !== null)!;
      expect(made).toMatchObject({ prompt: expect.any(String), model: expect.any(String), provider: expect.any(String), storage_key: expect.any(String), width: 1280, height: 720, has_audio: expect.any(Boolean) });
      expect(made.file_size_bytes).toBeGreaterThan(0);
      expect(made.duration_seconds).toBeGreaterThan(0);
      const { data: gen } = await dp.getOne('generations', { id: made.generation_id });
      expect(gen).toMatchObject({ asset_id: made.id, xp_earned: 2, status: 'completed' });
    });

    it('every finished image or video generation has its asset and XP entry, linked by real keys; video makers have video access', async () => {
      const [wrong] = await rows<{ no_asset: number; no_xp_link: number; xp_mismatch: number; video_without_access: number; users_verified: number; limits: number }>(sql`
        select
          (select count(*)::int from generations g left join assets a on a.id = g.asset_id
            where g.status = 'completed' and g.ai_type <> 'text' and (a.id is null or a.generation_id <> g.id)) as no_asset,
          (select count(*)::int from xp_transactions where source = 'generation' and generation_id is null) as no_xp_link,
          (select count(*)::int from generations g
            where g.xp_earned <> coalesce((select sum(x.amount) from xp_transactions x where x.generation_id = g.id), 0)) as xp_mismatch,
          (select count(*)::int from users u where not u.video_access
            and exists (select 1 from generations g where g.user_id = u.id and g.ai_type = 'video')) as video_without_access,
          (select count(*)::int from users where email_verified) as users_verified,
          (select count(distinct daily_generation_limit)::int from users) as limits`);
      expect(wrong).toMatchObject({ no_asset: 0, no_xp_link: 0, xp_mismatch: 0, video_without_access: 0, limits: expect.any(Number) });
      expect(wrong!.users_verified).toBeGreaterThan(150);
      expect(wrong!.limits).toBeGreaterThan(1);
      const [auth] = await rows<{ accounts: number; sessions: number; verifications: number }>(sql`
        select (select count(*)::int from accounts) as accounts, (select count(*)::int from sessions) as sessions,
               (select count(*)::int from verifications) as verifications`);
      expect(auth!.accounts).toBeGreaterThan(100);
      expect(auth!.sessions).toBeGreaterThan(0);
      expect(auth!.verifications).toBeGreaterThan(0);
    });
  },
  { demo: true },
);
