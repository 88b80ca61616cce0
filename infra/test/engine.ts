import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as engineRpc from '@pulumi/pulumi/proto/engine_grpc_pb.js';
import * as engineProto from '@pulumi/pulumi/proto/engine_pb.js';
import * as providerProto from '@pulumi/pulumi/proto/provider_pb.js';
import * as resourceRpc from '@pulumi/pulumi/proto/resource_grpc_pb.js';
import * as resourceProto from '@pulumi/pulumi/proto/resource_pb.js';
import emptyProto from 'google-protobuf/google/protobuf/empty_pb.js';
import structProto from 'google-protobuf/google/protobuf/struct_pb.js';
import { parse } from 'yaml';
import { mockInvoke, mockState, SECRET_CONFIG, stackConfig, unwrapSecrets } from './mocks';

// The Pulumi engine's side of a `pulumi preview`, served over gRPC in the test process: a resource
// monitor that answers every registration with mock state, and an engine that collects logs. The
// program runs in a child process started exactly as pulumi-language-nodejs starts it, so module
// loading (ESM root package, tsx, Pulumi.yaml runtime options) is the real thing.

const PROGRAM_TIMEOUT_MS = Number(process.env.OPSROOM_PROGRAM_TIMEOUT_MS ?? 480_000);
export const INFRA_DIR = fileURLToPath(new URL('..', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface Registration {
  urn: string;
  type: string;
  name: string;
  custom: boolean;
  parent: string;
  inputs: Record<string, any>;
  /** The wire form of the inputs, secrets still wrapped: what the policy pack is sent. */
  wireInputs: Record<string, any>;
  protect: boolean;
  ignoreChanges: string[];
  dependencies: string[];
}

export interface ProgramRun {
  exitCode: number | null;
  stderr: string;
  /** Warnings and errors the program logged through the engine. */
  logs: string[];
  registrations: Registration[];
  /** The stack's exports as the engine received them (secrets still wrapped). */
  outputs: Record<string, unknown>;
  ofType(type: string): Registration[];
}

interface Served {
  address: string;
  stop(): Promise<void>;
}

function serve(register: (server: grpc.Server) => void): Promise<Served> {
  const server = new grpc.Server();
  register(server);
  return new Promise((resolve, reject) => {
    server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, port) => {
      if (err) return reject(err);
      resolve({
        address: `127.0.0.1:${port}`,
        stop: () => new Promise((done) => server.tryShutdown(() => done())),
      });
    });
  });
}

/** A stand-in for the engine's Engine service: the policy pack and the program log through it. */
export function serveEngine(logs: string[] = []): Promise<Served> {
  let root = '';
  return serve((server) => server.addService(engineRpc.EngineService, {
    // Debug and info lines are the SDK's own tracing; warnings and errors are what a user would see.
    log: (call: any, cb: any) => {
      if (call.request.getSeverity() >= engineProto.LogSeverity.WARNING) logs.push(call.request.getMessage());
      cb(null, new emptyProto.Empty());
    },
    getRootResource: (_call: any, cb: any) => cb(null, new engineProto.GetRootResourceResponse().setUrn(root)),
    setRootResource: (call: any, cb: any) => { root = call.request.getUrn(); cb(null, new engineProto.SetRootResourceResponse()); },
    requirePulumiVersion: (_call: any, cb: any) => cb(null, new engineProto.RequirePulumiVersionResponse()),
  } as never));
}

function serveMonitor(stack: string, registrations: Registration[], outputs: Map<string, unknown>): Promise<Served> {
  const struct = (value: unknown) => structProto.Struct.fromJavaScript(value as never);
  return serve((server) => server.addService(resourceRpc.ResourceMonitorService, {
    // Output values stay off so inputs arrive as plain values (and secrets as wrapped values).
    supportsFeature: (call: any, cb: any) =>
      cb(null, new resourceProto.SupportsFeatureResponse().setHassupport(call.request.getId() !== 'outputValues')),
    registerPackage: (_call: any, cb: any) => cb(null, new resourceProto.RegisterPackageResponse().setRef('mock-package')),
    invoke: (call: any, cb: any) => {
      const result = mockInvoke(call.request.getTok(), call.request.getArgs()?.toJavaScript() ?? {});
      cb(null, new providerProto.InvokeResponse().setReturn(struct(result)));
    },
    registerResource: (call: any, cb: any) => {
      const req = call.request as resourceProto.RegisterResourceRequest;
      const wireInputs = (req.getObject()?.toJavaScript() ?? {}) as Record<string, any>;
      const parentType = req.getParent() ? req.getParent().split('::')[2] : '';
      const qualified = parentType && !parentType.startsWith('pulumi:pulumi:Stack') ? `${parentType}$${req.getType()}` : req.getType();
      const urn = `urn:pulumi:${stack}::opsroom::${qualified}::${req.getName()}`;
      registrations.push({
        urn,
        type: req.getType(),
        name: req.getName(),
        custom: req.getCustom(),
        parent: req.getParent(),
        inputs: unwrapSecrets(wireInputs),
        wireInputs,
        protect: req.getProtect() ?? false,
        ignoreChanges: req.getIgnorechangesList(),
        dependencies: req.getDependenciesList(),
      });
      const response = new resourceProto.RegisterResourceResponse().setUrn(urn);
      if (req.getCustom()) response.setId(`${req.getName()}-id`).setObject(struct(mockState(req.getType(), req.getName(), wireInputs)));
      cb(null, response);
    },
    registerResourceOutputs: (call: any, cb: any) => {
      outputs.set(call.request.getUrn(), call.request.getOutputs()?.toJavaScript());
      cb(null, new emptyProto.Empty());
    },
    signalAndWaitForShutdown: (_call: any, cb: any) => cb(null, new emptyProto.Empty()),
  } as never));
}

interface RuntimeOptions {
  typescript?: boolean;
  nodeargs?: string;
}

/** The runtime options of `Pulumi.yaml`, which the language host turns into node flags and env. */
export function runtimeOptions(): RuntimeOptions {
  const project = parse(readFileSync(new URL('../Pulumi.yaml', import.meta.url), 'utf8')) as { runtime: { options?: RuntimeOptions } };
  return project.runtime.options ?? {};
}

/**
 * Runs `infra/` the way `pulumi preview` does: node [nodeargs] @pulumi/pulumi/cmd/run --monitor …
 * --engine … --project … --stack … --pwd infra index.ts, with the stack's config in PULUMI_CONFIG.
 */
export async function runProgram(stack: string, overrides: Record<string, string> = {}): Promise<ProgramRun> {
  const registrations: Registration[] = [];
  const outputsByUrn = new Map<string, unknown>();
  const logs: string[] = [];
  const engine = await serveEngine(logs);
  const monitor = await serveMonitor(stack, registrations, outputsByUrn);
  const options = runtimeOptions();
  const config = { ...stackConfig(stack), ...SECRET_CONFIG, ...overrides };
  const args = [
    ...(options.nodeargs ? options.nodeargs.split(/\s+/) : []),
    `${ROOT}node_modules/@pulumi/pulumi/cmd/run`,
    '--monitor', monitor.address, '--engine', engine.address,
    '--organization', 'organization', '--project', 'opsroom', '--stack', stack,
    '--pwd', INFRA_DIR, '--dry-run', '--parallel', '16',
    'index.ts',
  ];
  const child = spawn(process.execPath, args, {
    cwd: INFRA_DIR,
    env: {
      ...process.env,
      PULUMI_CONFIG: JSON.stringify(config),
      PULUMI_CONFIG_SECRET_KEYS: JSON.stringify(Object.keys(SECRET_CONFIG)),
      PULUMI_NODEJS_TYPESCRIPT: String(options.typescript ?? true),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stdout.on('data', (chunk) => { stderr += chunk; });
  child.stderr.on('data', (chunk) => { stderr += chunk; });
  // A program that never ends would hang the engine too; give up on it rather than on the test.
  const deadline = setTimeout(() => { stderr += `\n(still running after ${PROGRAM_TIMEOUT_MS} ms: killed)`; child.kill('SIGKILL'); }, PROGRAM_TIMEOUT_MS);
  const exitCode = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  clearTimeout(deadline);
  await Promise.all([engine.stop(), monitor.stop()]);

  const stackUrn = registrations.find((r) => r.type === 'pulumi:pulumi:Stack')?.urn ?? '';
  return {
    exitCode,
    stderr,
    logs,
    registrations,
    outputs: (outputsByUrn.get(stackUrn) ?? {}) as Record<string, unknown>,
    ofType: (type) => registrations.filter((r) => r.type === type),
  };
}
