import { randomBytes } from 'node:crypto';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../client';
import { accounts, assets, generations, invitations, organizations, projectImages, projects, projectVideos, sessions, users, verifications } from '../schema';
import type { Random } from './random';

const DAY = 24 * 3_600_000;
const STYLES = ['nordic', 'japandi', 'industrial', 'mid-century', 'coastal', 'bohemian'];
const ROOMS = ['Living room', 'Kitchen refresh', 'Loft listing', 'Studio flat', 'Garden office', 'Hotel lobby'];
/** A project's images and videos move through the same life as a generation. */
const STATUSES = ['completed', 'completed', 'completed', 'processing', 'pending', 'failed'] as const;

type Person = { id: number; createdAt: Date };
type MadeGeneration = { id: number; userId: number; aiType: 'text' | 'image' | 'video'; provider: string; model: string; prompt: string; resultUrls: string[]; costEstimateUsd: number | null; durationMs: number | null; createdAt: Date };

const sometimeBetween = (rnd: Random, from: Date, to: Date) => new Date(from.getTime() + Math.floor(rnd.next() * Math.max(0, to.getTime() - from.getTime())));

/**
 * Every completed image or video generation gets the asset it produced, with the generation's
 * metadata (prompt, model, provider, storage key, size, cost, duration, audio), and points at it.
 */
export async function seedGenerationAssets(db: Db, rnd: Random, made: MadeGeneration[]): Promise<number> {
  const rows = made
    .filter((g) => g.aiType !== 'text' && g.resultUrls.length)
    .map((g) => {
      const video = g.aiType === 'video';
      const ext = video ? 'mp4' : 'png';
      const durationSeconds = video ? rnd.pick([5, 5, 10]) : null;
      return {
        userId: g.userId,
        generationId: g.id,
        kind: g.aiType as 'image' | 'video',
        url: g.resultUrls[0]!,
        title: g.prompt.slice(0, 60),
        prompt: g.prompt,
        model: g.model,
        provider: g.provider,
        storageKey: `generations/${g.userId}/${g.id}.${ext}`,
        thumbnailKey: `generations/${g.userId}/${g.id}.thumb.webp`,
        width: video ? 1280 : rnd.pick([1024, 1024, 1536]),
        height: video ? 720 : 1024,
        fileSizeBytes: video ? rnd.int(2_000_000, 40_000_000) * (durationSeconds! / 5) : rnd.int(300_000, 4_000_000),
        costEstimateUsd: g.costEstimateUsd,
        durationSeconds,
        hasAudio: video ? rnd.chance(0.4) : null,
        createdAt: new Date(g.createdAt.getTime() + (g.durationMs ?? 0)),
      };
    });
  for (let i = 0; i < rows.length; i += 500) await db.insert(assets).values(rows.slice(i, i + 500));
  await db.execute(sql`update ${generations} g set asset_id = a.id from ${assets} a where a.generation_id = g.id and g.asset_id is null`);
  // Whoever made a video has the video models open to them.
  await db
    .update(users)
    .set({ videoAccess: true })
    .where(and(eq(users.videoAccess, false), inArray(users.id, db.selectDistinct({ id: generations.userId }).from(generations).where(eq(generations.aiType, 'video')))));
  return rows.length;
}

/**
 * Workspaces as AI Studio and ZeroStarter use them: an owner and plan metadata on each
 * organization, pending and settled invitations into a team, and projects whose images were
 * restyled and sometimes animated into videos.
 */
export async function seedWorkspaces(db: Db, rnd: Random, orgs: { id: number; team: Person[]; teamId: number | null }[], now: Date) {
  let projectCount = 0;
  for (const org of orgs) {
    const owner = org.team[0];
    if (!owner) continue;
    await db
      .update(organizations)
      .set({ ownerId: owner.id, metadata: { plan: rnd.pick(['free', 'pro', 'studio']), seats: org.team.length + rnd.int(0, 5), region: rnd.pick(['eu', 'us']) } })
      .where(eq(organizations.id, org.id));
    await db.insert(invitations).values(
      Array.from({ length: rnd.int(1, 3) }, (_, i) => {
        const sent = sometimeBetween(rnd, owner.createdAt, now);
        const status = rnd.pick(['pending', 'pending', 'accepted', 'rejected', 'canceled'] as const);
        return {
          organizationId: org.id,
          email: `invitee${org.id}-${i + 1}@example.net`,
          role: rnd.pick(['member', 'member', 'admin'] as const),
          status,
          inviterId: owner.id,
          teamId: rnd.chance(0.6) ? org.teamId : null,
          expiresAt: new Date(sent.getTime() + 7 * DAY),
          createdAt: sent,
        };
      }),
    );
    for (const author of org.team.slice(0, rnd.int(1, Math.min(3, org.team.length)))) {
      const createdAt = sometimeBetween(rnd, author.createdAt, now);
      const imageStatuses = Array.from({ length: rnd.int(2, 4) }, () => rnd.pick(STATUSES));
      const projectStatus = imageStatuses.every((s) => s === 'completed') ? 'completed' : imageStatuses.includes('processing') || imageStatuses.includes('pending') ? 'processing' : imageStatuses.includes('failed') ? 'failed' : 'completed';
      const [project] = await db
        .insert(projects)
        .values({ organizationId: org.id, userId: author.id, name: rnd.pick(ROOMS), status: projectStatus, createdAt, updatedAt: createdAt })
        .returning({ id: projects.id });
      projectCount++;
      const images = await db
        .insert(projectImages)
        .values(
          imageStatuses.map((status, i) => {
            const key = `projects/${project!.id}/${i + 1}`;
            const done = status === 'completed';
            return {
              projectId: project!.id,
              originalUrl: `https://cdn.example.com/${key}.jpg`,
              originalStorageKey: `${key}.jpg`,
              editedUrl: done ? `https://cdn.example.com/${key}-edited.jpg` : null,
              editedStorageKey: done ? `${key}-edited.jpg` : null,
              styleTemplate: rnd.pick(STYLES),
              status,
              error: status === 'failed' ? rnd.pick(['provider timeout', 'image too small (min 512 px)']) : null,
              createdAt,
              updatedAt: createdAt,
            };
          }),
        )
        .returning({ id: projectImages.id, status: projectImages.status, editedStorageKey: projectImages.editedStorageKey });
      const animated = images.filter((img) => img.status === 'completed' && rnd.chance(0.5));
      if (!animated.length) continue;
      await db.insert(projectVideos).values(
        animated.map((img) => {
          const status = rnd.pick(['completed', 'completed', 'processing', 'failed'] as const);
          const key = img.editedStorageKey!.replace(/\.jpg$/, '.mp4');
          return {
            projectId: project!.id,
            sourceImageId: img.id,
            videoUrl: status === 'completed' ? `https://cdn.example.com/${key}` : null,
            storageKey: status === 'completed' ? key : null,
            thumbnailUrl: status === 'completed' ? `https://cdn.example.com/${key.replace(/\.mp4$/, '.jpg')}` : null,
            durationSeconds: status === 'completed' ? rnd.pick([5, 10]) : null,
            status,
            error: status === 'failed' ? 'provider rejected the source image' : null,
            createdAt,
            updatedAt: createdAt,
          };
        }),
      );
    }
  }
  return projectCount;
}

/**
 * What an app's auth library leaves behind: OAuth accounts for users who signed in with a
 * provider, a few live app sessions, and pending email verifications for unverified users.
 * Tokens are random: nothing here signs anyone in anywhere.
 */
export async function seedAuthRecords(db: Db, rnd: Random, now: Date) {
  const people = await db.select({ id: users.id, provider: users.signinProvider, verified: users.emailVerified, email: users.email, createdAt: users.createdAt }).from(users).where(isNull(users.passwordHash));
  const oauth = people.filter((p) => p.provider === 'google' || p.provider === 'github');
  for (let i = 0; i < oauth.length; i += 500) {
    await db.insert(accounts).values(
      oauth.slice(i, i + 500).map((p) => ({ userId: p.id, type: 'oauth', provider: p.provider!, providerAccountId: String(10_000_000 + p.id * 7919), scope: p.provider === 'google' ? 'openid email profile' : 'read:user user:email', tokenType: 'bearer', createdAt: p.createdAt, updatedAt: p.createdAt })),
    );
  }
  const active = people.filter(() => rnd.chance(0.1));
  if (active.length)
    await db.insert(sessions).values(active.map((p) => ({ token: randomBytes(24).toString('base64url'), userId: p.id, expiresAt: new Date(now.getTime() + rnd.int(1, 30) * DAY), ip: `198.51.100.${rnd.int(1, 254)}`, userAgent: 'Mozilla/5.0 (demo)' })));
  const unverified = people.filter((p) => !p.verified);
  if (unverified.length)
    await db.insert(verifications).values(unverified.map((p) => ({ identifier: `email-verification:${p.email}`, value: randomBytes(16).toString('hex'), expiresAt: new Date(now.getTime() + DAY) })));
}
