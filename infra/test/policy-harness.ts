import type { ResourceValidation, ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from '@pulumi/policy';
import { resourcePolicies, stackPolicies } from '../policy/rules';
import type { RecordedResource } from './mocks';

export interface Violation {
  policy: string;
  resource: string;
  message: string;
}

const NOT_APPLICABLE = Symbol('not applicable');

function validationArgs(resource: RecordedResource): ResourceValidationArgs {
  const isType = (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType === resource.type;
  return {
    type: resource.type,
    props: resource.inputs,
    urn: `urn:pulumi:test::opsroom::${resource.type}::${resource.name}`,
    name: resource.name,
    opts: {
      protect: resource.protect,
      ignoreChanges: resource.ignoreChanges,
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    stackTags: new Map(),
    isType,
    asType: ((cls: unknown) => (isType(cls) ? resource.inputs : undefined)) as ResourceValidationArgs['asType'],
    getConfig: (() => ({})) as ResourceValidationArgs['getConfig'],
    notApplicable: () => { throw NOT_APPLICABLE; },
  } as ResourceValidationArgs;
}

/** Feeds one recorded resource to the policies exactly as CrossGuard would, collecting violations. */
export function resourceViolations(resource: RecordedResource, policies: ResourceValidationPolicy[] = resourcePolicies): Violation[] {
  const violations: Violation[] = [];
  for (const policy of policies) {
    const validations = ([] as ResourceValidation[]).concat(policy.validateResource ?? []);
    for (const validate of validations) {
      try {
        validate(validationArgs(resource), (message) =>
          violations.push({ policy: policy.name, resource: `${resource.type}::${resource.name}`, message }));
      } catch (err) {
        if (err !== NOT_APPLICABLE) throw err;
      }
    }
  }
  return violations;
}

export function stackViolations(resources: RecordedResource[], policies: StackValidationPolicy[] = stackPolicies): Violation[] {
  const violations: Violation[] = [];
  const policyResources = resources.map((r) => ({ ...validationArgs(r), dependencies: [], propertyDependencies: {} }));
  for (const policy of policies) {
    policy.validateStack?.({ resources: policyResources, getConfig: () => ({}) } as never, (message) =>
      violations.push({ policy: policy.name, resource: 'stack', message }));
  }
  return violations;
}

/** Mandatory violations of the whole pack over every recorded resource. */
export function mandatoryViolations(resources: RecordedResource[]): Violation[] {
  const mandatory = resourcePolicies.filter((p) => p.enforcementLevel === 'mandatory');
  return [...resources.flatMap((r) => resourceViolations(r, mandatory)), ...stackViolations(resources)];
}
