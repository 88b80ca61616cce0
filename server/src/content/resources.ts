import { assets, brands, feedbacks, posts, projectImages, projects, projectVideos } from '../db/schema';
import { nonEmpty, slug } from '../resources/refinements';
import { defineResource } from '../resources/types';

export const postsResource = defineResource(posts, {
  name: 'posts',
  search: ['title', 'slug', 'description'],
  creatable: ['title', 'slug', 'locale', 'status', 'description', 'cover_url', 'content', 'author_id'],
  refine: { title: nonEmpty, slug },
  defaultSort: ['created_at', 'DESC'],
});

export const feedbacksResource = defineResource(feedbacks, { name: 'feedbacks', search: ['content'], defaultSort: ['created_at', 'DESC'] });
export const brandsResource = defineResource(brands, { name: 'brands', search: ['name'], creatable: ['user_id', 'name', 'logo_url', 'primary_color'], refine: { name: nonEmpty }, defaultSort: ['created_at', 'DESC'] });
export const assetsResource = defineResource(assets, { name: 'assets', search: ['title', 'url'], readOnly: true, defaultSort: ['created_at', 'DESC'] });

// The app's users make these; operators look, they do not edit a user's work.
export const projectsResource = defineResource(projects, { name: 'projects', search: ['name'], readOnly: true, defaultSort: ['created_at', 'DESC'] });
export const projectImagesResource = defineResource(projectImages, { name: 'project_images', search: ['style_template', 'original_storage_key'], readOnly: true, defaultSort: ['created_at', 'DESC'] });
export const projectVideosResource = defineResource(projectVideos, { name: 'project_videos', search: ['storage_key'], readOnly: true, defaultSort: ['created_at', 'DESC'] });
