import { PolicyPack } from '@pulumi/policy';
import { resourcePolicies, stackPolicies } from './rules';

// `pulumi up --policy-pack infra/policy` runs the same rules the unit tests run.
new PolicyPack('opsroom', {
  policies: [...resourcePolicies, ...stackPolicies],
});
