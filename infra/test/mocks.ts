import { readFileSync } from 'node:fs';
import * as pulumi from '@pulumi/pulumi';
import { parse } from 'yaml';

/** Secret config values the tests hand the program; none may surface in plain sight. */
export const SECRET_CONFIG = {
  'opsroom:encryptionKey': 'test-encryption-key-5f0c2b7e9a1d',
  'opsroom:sessionSecret': 'test-session-secret-a83e10c4d2f7',
  'opsroom:neonApiKey': 'test-neon-api-key-0d9b8e7c6a5f',
};
const MOCK_RDS_PASSWORD = 'MockRdsMasterPassword4f1e9c2a7b3d8e6f';
const MOCK_NEON_PASSWORD = 'npg_MockNeonPassword9a8b7c';
/** Every secret value a stack could produce under these mocks. */
export const SECRET_VALUES = [...Object.values(SECRET_CONFIG), MOCK_RDS_PASSWORD, MOCK_NEON_PASSWORD];

const SECRET_SIG_KEY = '4dabf18193072939515e22adb298388d';
const SECRET_SIG = '1b47061264138c4ac30d75fd1eb44270';

export interface RecordedResource {
  type: string;
  name: string;
  inputs: Record<string, any>;
  protect: boolean;
  ignoreChanges: string[];
  /** JSON of every input value that was registered as a Pulumi secret. */
  secretInputs: string[];
}

export interface StackOutput {
  value: unknown;
  secret: boolean;
}

export interface StackRun {
  resources: RecordedResource[];
  outputs: Record<string, StackOutput>;
  ofType(type: string): RecordedResource[];
}

/** The ARN and id the mocks give a resource, so tests can follow references between resources. */
export const arnOf = (r: { type: string; name: string }) => `arn:aws:mock:us-east-1:123456789012:${r.type}/${r.name}`;
export const idOf = (r: { name: string }) => `${r.name}-id`;

/** The Secrets Manager secret RDS creates for a managed master password. */
export const masterSecretArn = (instance: string) => `arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-${instance}-AbC123`;

export function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, any> {
  const base = { ...inputs, arn: arnOf({ type, name }), name: inputs.name ?? name };
  switch (type) {
    case 'aws:ecr/repository:Repository':
      return { ...base, repositoryUrl: `123456789012.dkr.ecr.us-east-1.amazonaws.com/${name}` };
    case 'aws:rds/instance:Instance': {
      const address = `${name}.cmock.us-east-1.rds.amazonaws.com`;
      return {
        ...base, identifier: name, address, endpoint: `${address}:5432`,
        masterUserSecrets: inputs.manageMasterUserPassword ? [{ secretArn: masterSecretArn(name), secretStatus: 'active', kmsKeyId: 'alias/aws/secretsmanager' }] : [],
      };
    }
    case 'aws:lb/loadBalancer:LoadBalancer':
      return { ...base, dnsName: `${name}-123.us-east-1.elb.amazonaws.com`, zoneId: 'Z35SXDOTRQ7X7K' };
    case 'aws:acm/certificate:Certificate':
      return { ...base, domainValidationOptions: [{
        domainName: inputs.domainName, resourceRecordName: `_x1.${inputs.domainName}.`, resourceRecordType: 'CNAME', resourceRecordValue: '_x2.acm-validations.aws.',
      }] };
    case 'aws:acm/certificateValidation:CertificateValidation':
      return { ...base, certificateArn: inputs.certificateArn };
    case 'aws:route53/record:Record':
      return { ...base, fqdn: String(inputs.name).replace(/\.$/, '') };
    case 'random:index/randomId:RandomId':
      return { ...base, hex: '5eed1234' };
    case 'aws:cloudwatch/logGroup:LogGroup':
      return { ...base, name: `${inputs.namePrefix}mock` };
    case 'random:index/randomPassword:RandomPassword':
      return { ...base, result: MOCK_RDS_PASSWORD };
    case 'pulumi-nodejs:dynamic/neon:Project': {
      const host = 'ep-mock-123.us-east-1.aws.neon.tech';
      const url = (h: string) => `postgresql://opsroom:${MOCK_NEON_PASSWORD}@${h}/opsroom?sslmode=require`;
      return {
        ...inputs,
        projectId: 'mock-project-123',
        branchId: 'br-mock-456',
        host,
        directUrl: url(host),
        pooledUrl: url(host.replace('ep-mock-123', 'ep-mock-123-pooler')),
      };
    }
    default:
      return base;
  }
}

/** What the AWS data sources the program calls answer in us-east-1. */
export function mockInvoke(token: string, inputs: Record<string, any>): Record<string, any> {
  if (token === 'aws:index/getAvailabilityZones:getAvailabilityZones') {
    return { names: ['us-east-1a', 'us-east-1b', 'us-east-1c'], zoneIds: ['use1-az1', 'use1-az2', 'use1-az4'] };
  }
  if (token === 'aws:index/getRegion:getRegion') return { id: 'us-east-1', name: 'us-east-1', region: 'us-east-1' };
  if (token === 'aws:ec2/getVpc:getVpc') return { id: inputs.id, cidrBlock: '10.99.0.0/16' };
  if (token === 'aws:index/getCallerIdentity:getCallerIdentity') return { accountId: '123456789012', arn: 'arn:aws:iam::123456789012:user/ci', id: '123456789012', userId: 'AIDA' };
  return inputs;
}

function secretValues(value: unknown, found: string[] = []): string[] {
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG_KEY] === SECRET_SIG) found.push(JSON.stringify(record.value));
    else Object.values(record).forEach((v) => secretValues(v, found));
  }
  return found;
}

export function unwrapSecrets(value: any): any {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === 'object') {
    if (value[SECRET_SIG_KEY] === SECRET_SIG) return unwrapSecrets(value.value);
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

export function stackConfig(stack: string): Record<string, string> {
  const file = parse(readFileSync(new URL(`../Pulumi.${stack}.yaml`, import.meta.url), 'utf8')) as { config: Record<string, unknown> };
  return Object.fromEntries(Object.entries(file.config).map(([k, v]) => [k, String(v)]));
}

async function resolve(output: pulumi.Output<unknown>): Promise<StackOutput> {
  const value = await new Promise((done) => output.apply((v) => { done(v); return v; }));
  const secret = await (output as unknown as { isSecret: Promise<boolean> }).isSecret;
  return { value, secret };
}

export interface Recorder {
  resources(): RecordedResource[];
}

/**
 * Installs mocks with the example `Pulumi.<stack>.yaml` config (plus overrides) that record
 * every resource's inputs and options. Call before importing anything that registers resources.
 */
export async function startMocks(stack: string, overrides: Record<string, string> = {}): Promise<Recorder> {
  const byKey = new Map<string, RecordedResource>();
  const record = (type: string, name: string) => {
    const key = `${type}::${name}`;
    if (!byKey.has(key)) byKey.set(key, { type, name, inputs: {}, protect: false, ignoreChanges: [], secretInputs: [] });
    return byKey.get(key)!;
  };

  pulumi.runtime.setAllConfig({ ...stackConfig(stack), ...SECRET_CONFIG, ...overrides }, Object.keys(SECRET_CONFIG));
  await pulumi.runtime.setMocks({
    newResource: (args) => {
      // CrossGuard hands policies plain values, so the recorded inputs drop the secret wrappers.
      record(args.type, args.name).inputs = unwrapSecrets(args.inputs);
      return { id: idOf(args), state: mockState(args.type, args.name, args.inputs) };
    },
    call: (args) => mockInvoke(args.token, args.inputs),
  }, 'opsroom', stack, false);

  // The mocks API drops resource options; the policy rules need protect and ignoreChanges.
  const monitor = pulumi.runtime.getMonitor() as unknown as { registerResource: (req: any, cb: any) => unknown };
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) => {
    const entry = record(req.getType(), req.getName());
    entry.protect = req.getProtect();
    entry.ignoreChanges = req.getIgnorechangesList();
    entry.secretInputs = secretValues(req.getObject()?.toJavaScript());
    return register(req, cb);
  };
  return { resources: () => [...byKey.values()] };
}

/** Runs infra/index.ts under `startMocks` and waits for every registration to finish. */
export async function runStack(stack: string, overrides: Record<string, string> = {}): Promise<StackRun> {
  const recorder = await startMocks(stack, overrides);
  const program = (await import('../index')) as Record<string, unknown>;
  const outputs: Record<string, StackOutput> = {};
  for (const [name, value] of Object.entries(program)) {
    if (pulumi.Output.isInstance(value)) outputs[name] = await resolve(value);
    else if (value !== undefined) outputs[name] = { value, secret: false };
  }
  await pulumi.runtime.disconnect();

  const resources = recorder.resources();
  return { resources, outputs, ofType: (type) => resources.filter((r) => r.type === type) };
}
