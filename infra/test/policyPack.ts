import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as grpc from '@grpc/grpc-js';
import * as analyzerRpc from '@pulumi/pulumi/proto/analyzer_grpc_pb.js';
import * as analyzerProto from '@pulumi/pulumi/proto/analyzer_pb.js';
import emptyProto from 'google-protobuf/google/protobuf/empty_pb.js';
import structProto from 'google-protobuf/google/protobuf/struct_pb.js';
import { serveEngine } from './engine';

// The policy pack as the Pulumi CLI runs it: `node @pulumi/pulumi/cmd/run-policy-pack <engine> .`
// from the pack's folder, which prints the port of its Analyzer gRPC server and serves until killed.
// Tests talk to that server with the same requests the engine sends.

const POLICY_DIR = fileURLToPath(new URL('../policy', import.meta.url));
const RUN_POLICY_PACK = fileURLToPath(new URL('../../node_modules/@pulumi/pulumi/cmd/run-policy-pack', import.meta.url));

export interface PolicyResource {
  type: string;
  name: string;
  /** Wire form: secrets may still be wrapped, as the engine sends them. */
  properties: Record<string, unknown>;
  protect?: boolean;
  ignoreChanges?: string[];
  parent?: string;
  dependencies?: string[];
}

export interface Diagnostic {
  policy: string;
  resource: string;
  message: string;
  mandatory: boolean;
}

export interface RunningPack {
  /** Everything the pack process wrote, for failure messages. */
  output(): string;
  info(): Promise<analyzerProto.AnalyzerInfo>;
  analyze(resource: PolicyResource): Promise<Diagnostic[]>;
  analyzeStack(resources: PolicyResource[]): Promise<Diagnostic[]>;
  stop(): Promise<void>;
}

function options(resource: PolicyResource) {
  return new analyzerProto.AnalyzerResourceOptions()
    .setProtect(resource.protect ?? false)
    .setIgnorechangesList(resource.ignoreChanges ?? []);
}

function urnOf(resource: PolicyResource) {
  return `urn:pulumi:test::opsroom::${resource.type}::${resource.name}`;
}

function diagnostics(response: analyzerProto.AnalyzeResponse): Diagnostic[] {
  return response.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    resource: d.getUrn().split('::').pop() ?? '',
    // The pack prefixes each violation with its policy's description and a newline.
    message: d.getMessage().startsWith(`${d.getDescription()}\n`) ? d.getMessage().slice(d.getDescription().length + 1) : d.getMessage(),
    mandatory: d.getEnforcementlevel() === analyzerProto.EnforcementLevel.MANDATORY,
  }));
}

function unary<Req, Res>(client: any, method: string, request: Req): Promise<Res> {
  return new Promise((resolve, reject) =>
    client[method](request, (err: grpc.ServiceError | null, response: Res) => (err ? reject(err) : resolve(response))));
}

/** Starts the pack under Pulumi's own loader and waits for the port it prints. */
export async function startPolicyPack(): Promise<RunningPack> {
  const engine = await serveEngine();
  const child: ChildProcess = spawn(process.execPath, [RUN_POLICY_PACK, engine.address, '.'], {
    cwd: POLICY_DIR,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stderr!.on('data', (chunk) => { output += chunk; });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const line = /^(\d+)\s*$/m.exec(output);
      if (line) resolve(Number(line[1]));
    });
    child.on('exit', (code) => reject(new Error(`policy pack exited with ${code} before serving:\n${output}`)));
  });
  const client = new analyzerRpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());

  return {
    output: () => output,
    info: () => unary(client, 'getAnalyzerInfo', new emptyProto.Empty()),
    analyze: async (resource) => diagnostics(await unary(client, 'analyze', new analyzerProto.AnalyzeRequest()
      .setType(resource.type)
      .setName(resource.name)
      .setUrn(urnOf(resource))
      .setProperties(structProto.Struct.fromJavaScript(resource.properties as never))
      .setOptions(options(resource)))),
    analyzeStack: async (resources) => diagnostics(await unary(client, 'analyzeStack', new analyzerProto.AnalyzeStackRequest()
      .setResourcesList(resources.map((resource) => new analyzerProto.AnalyzerResource()
        .setType(resource.type)
        .setName(resource.name)
        .setUrn(urnOf(resource))
        .setProperties(structProto.Struct.fromJavaScript(resource.properties as never))
        .setOptions(options(resource))
        .setParent(resource.parent ?? '')
        .setDependenciesList(resource.dependencies ?? []))))),
    stop: async () => {
      client.close();
      const exited = new Promise((done) => child.once('exit', done));
      child.kill();
      await exited;
      await engine.stop();
    },
  };
}
