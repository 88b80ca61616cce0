import { expect, it } from 'vitest';
import { runStack } from './mocks';

// One program import per file: Node caches the module, failed or not.

it('a stack with no way to serve HTTPS (Pulumi.staging.yaml as shipped) stops before creating anything, saying what to set', async () => {
  await expect(runStack('staging')).rejects.toThrow(
    'opsroom needs HTTPS: set opsroom:certificateArn, or opsroom:domainName and opsroom:hostedZoneId (ACM issues the certificate); for a throwaway dev stack only, opsroom:allowInsecureHttp true',
  );
});
