import { describe, expect, test } from 'vitest';
import { users } from '../../src/db/schema';
import { buildModels, RESOURCES } from '../../src/resources';
import { ResourceDefinitionError } from '../../src/resources/model';
import { email } from '../../src/resources/refinements';
import { defineResource, type AnyResourceConfig } from '../../src/resources/types';

// Definitions that slip past tsc (a cast, a name built at run time) must still stop the boot.
const unchecked = (definition: object) => definition as AnyResourceConfig;

describe('resource definitions', () => {
  test('every definition builds into a model, once per name', () => {
    const models = buildModels();
    expect([...models.keys()]).toEqual(RESOURCES.map((r) => r.name));
    expect(new Set(models.keys()).size).toBe(RESOURCES.length);
    for (const model of models.values()) {
      for (const column of model.config.search ?? []) expect(model.fields.has(column), `${model.name}.${column}`).toBe(true);
    }
  });

  test.each([
    ['search', { search: ['emial'] }, 'resource definition "bad": search names "emial", not a column of users'],
    ['hidden', { hidden: ['password'] }, 'resource definition "bad": hidden names "password", not a column of users'],
    ['defaultSort', { defaultSort: ['created', 'DESC'] }, 'resource definition "bad": defaultSort names "created", not a column of users'],
    ['refine', { refine: { emial: email } }, 'resource definition "bad": refine names "emial", not a column key of users'],
    ['creatable', { creatable: ['password_hash'], hidden: ['password_hash'] }, 'resource definition "bad": writable column password_hash is unknown or hidden'],
    ['search on a hidden column', { search: ['password_hash'], hidden: ['password_hash'] }, 'resource definition "bad": search uses hidden column password_hash'],
  ])('a bad %s is refused with one line naming the definition', (_what, options, message) => {
    const bad = unchecked({ ...defineResource(users, { name: 'bad' }), ...options });
    const build = () => buildModels([bad]);
    expect(build).toThrow(ResourceDefinitionError);
    expect(build).toThrow(message);
    expect(message).not.toContain('\n');
  });

  test('two definitions with one name are refused', () => {
    const one = defineResource(users, { name: 'people' });
    expect(() => buildModels([one, one])).toThrow('resource definition "people": defined twice');
  });
});
