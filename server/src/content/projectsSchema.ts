import { doublePrecision, index, integer, pgTable, text } from 'drizzle-orm/pg-core';
import { generationStatus } from '../ai/schema';
import { users } from '../auth/schema';
import { createdAt, intId, updatedAt } from '../db/schema/columns';
import { organizations } from '../orgs/schema';

/**
 * AI Studio's projects: a batch of images a user edits (and videos made from them) inside a
 * workspace (an organization). Statuses follow a generation's life: pending → processing → completed | failed.
 */
export const projects = pgTable(
  'projects',
  {
    id: intId(),
    organizationId: integer('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    status: generationStatus('status').notNull().default('pending'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('projects_organization_id_idx').on(t.organizationId, t.createdAt),
    index('projects_user_id_idx').on(t.userId),
    index('projects_status_idx').on(t.status, t.createdAt),
  ],
);

export const projectImages = pgTable(
  'project_images',
  {
    id: intId(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    originalUrl: text('original_url').notNull(),
    editedUrl: text('edited_url'),
    // Object-storage keys behind the two URLs.
    originalStorageKey: text('original_storage_key'),
    editedStorageKey: text('edited_storage_key'),
    styleTemplate: text('style_template'),
    status: generationStatus('status').notNull().default('pending'),
    error: text('error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index('project_images_project_id_idx').on(t.projectId), index('project_images_status_idx').on(t.status, t.createdAt)],
);

export const projectVideos = pgTable(
  'project_videos',
  {
    id: intId(),
    projectId: integer('project_id')
      .notNull()
      .references(() => projects.id, { onDelete: 'cascade' }),
    // The edited image the video animates, when it was made from one.
    sourceImageId: integer('source_image_id').references(() => projectImages.id, { onDelete: 'set null' }),
    videoUrl: text('video_url'),
    storageKey: text('storage_key'),
    thumbnailUrl: text('thumbnail_url'),
    durationSeconds: doublePrecision('duration_seconds'),
    status: generationStatus('status').notNull().default('pending'),
    error: text('error'),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    index('project_videos_project_id_idx').on(t.projectId),
    index('project_videos_source_image_id_idx').on(t.sourceImageId),
    index('project_videos_status_idx').on(t.status, t.createdAt),
  ],
);

export type Project = typeof projects.$inferSelect;
export type ProjectImage = typeof projectImages.$inferSelect;
export type ProjectVideo = typeof projectVideos.$inferSelect;
