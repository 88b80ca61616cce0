import { Router } from 'express';
import { hasRole } from '../../../contract';
import { operatorOf } from '../http/request';
import { actionsByResource } from './capabilities';
import { VERSION_FIELD, type Adoption } from './resources';

/**
 * GET /api/_meta: what the console needs to build lists, filters, show and edit pages for adopted
 * tables it has no hand-written views for, and what this operator may do with them.
 */
export function metaRouter(adoption: Adoption) {
  const router = Router();
  const actions = actionsByResource(adoption);
  const resources = [...adoption.resources.values()].map((r) => {
    const spec = r.spec;
    const fields = r.catalog.columns
      .filter((c) => !spec.hidden.includes(c.name))
      .map((c) => {
        const field = r.model.fields.get(c.name);
        return {
          name: c.name,
          kind: spec.masked.includes(c.name) ? 'secret' : (field?.kind ?? 'text'),
          sqlType: c.type,
          array: c.isArray,
          nullable: c.nullable,
          choices: c.enum ? (field?.enumValues ?? null) : null,
          reference: spec.references[c.name] ?? null,
          creatable: r.model.creatable.has(c.name),
          updatable: r.model.updatable.has(c.name),
          sortable: spec.sortable.includes(c.name) || spec.id.includes(c.name),
          filterable: !!field && field.kind !== 'json',
        };
      });
    return {
      name: r.name,
      label: spec.label,
      kind: spec.kind,
      key: spec.id,
      keyed: r.keyed,
      readOnly: r.model.creatable.size === 0 && r.model.updatable.size === 0,
      deletable: r.model.deletable && r.keyed,
      versionField: r.versioned ? VERSION_FIELD : null,
      list: spec.list,
      search: spec.search,
      fields,
      actions: actions[r.name] ?? [],
      rowEstimate: spec.rowEstimate ?? null,
    };
  });
  const capabilities = Object.fromEntries(Object.entries(adoption.mapping.capabilities).map(([k, c]) => [k, { kind: c.kind, enabled: c.enabled, resource: c.resource, reason: c.reason, missing: c.missing ?? [] }]));

  router.get('/_meta', (req, res) => {
    const role = operatorOf(req).role;
    res.json({
      mode: 'adopted',
      operator: { role, canWrite: hasRole(role, 'admin') },
      resources: resources.map((r) => ({ ...r, actions: r.actions.filter((a) => hasRole(role, a.role)) })),
      capabilities,
    });
  });
  return router;
}
