import { projectImages, projects, projectVideos } from '../../db/schema';
import { defineResource } from '../types';

// The app's users make these; operators look, they do not edit a user's work.
export const projectsResource = defineResource(projects, { name: 'projects', search: ['name'], readOnly: true, defaultSort: ['created_at', 'DESC'] });
export const projectImagesResource = defineResource(projectImages, { name: 'project_images', search: ['style_template', 'original_storage_key'], readOnly: true, defaultSort: ['created_at', 'DESC'] });
export const projectVideosResource = defineResource(projectVideos, { name: 'project_videos', search: ['storage_key'], readOnly: true, defaultSort: ['created_at', 'DESC'] });
