import type { Router } from 'express';
import type { AppContext } from '../context';
import { adoptedAuthRoutes, requireAdoptedOperator } from './auth';
import { capabilitiesRouter } from './capabilities/routes';
import { metaRouter } from './meta';
import type { Adoption } from './resources';
import { adoptedRouter } from './router';

/** The /api routes of an adopted database: sign-in over opsroom's operators, metadata, capabilities, resources. */
export function mountAdopted(api: Router, ctx: AppContext, adoption: Adoption) {
  api.use('/auth', adoptedAuthRoutes(ctx, adoption.dialect));
  api.use(requireAdoptedOperator(ctx, adoption.dialect));
  api.use(metaRouter(adoption));
  api.use(capabilitiesRouter(ctx, adoption));
  api.use(adoptedRouter(ctx, adoption));
}
