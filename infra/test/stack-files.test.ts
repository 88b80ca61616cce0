import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { stackConfig } from './mocks';

// `pulumi stack init <name>` adopts Pulumi.<name>.yaml as it stands: a value there is live config,
// so anything the operator must supply (a certificate, a domain, a zone, an image) is left unset
// and the program stops with a message naming it (https-required.test.ts).
const stacks = readdirSync(new URL('..', import.meta.url)).flatMap((f) => /^Pulumi\.(\w+)\.yaml$/.exec(f)?.[1] ?? []);

describe('example stack files', () => {
  it('there are dev, staging and prod examples', () => {
    expect(stacks.sort()).toEqual(['dev', 'prod', 'staging']);
  });

  for (const stack of stacks) {
    it(`Pulumi.${stack}.yaml sets no certificate, domain, zone or image of its own`, () => {
      const config = stackConfig(stack);
      for (const key of ['certificateArn', 'domainName', 'hostedZoneId', 'imageTag', 'adminEmail']) {
        expect(config, key).not.toHaveProperty(`opsroom:${key}`);
      }
      expect(Object.values(config).filter((v) => /arn:aws:|example\.com|<[^>]+>/.test(v))).toEqual([]);
    });
  }
});
