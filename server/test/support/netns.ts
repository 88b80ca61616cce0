import { execFileSync } from 'node:child_process';
import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * A network namespace joined to this one by a veth pair of our own, so a test can be a client at
 * a non-loopback address. Addresses are a random /30 of 10.200.0.0/16, only on the two interfaces
 * made here; nothing is sent anywhere else. close() removes both.
 */
export interface Netns {
  name: string;
  /** Our end: the server listens here. */
  hostAddress: string;
  /** The namespace's end: where its clients' requests come from. */
  nsAddress: string;
  /** Runs a command inside the namespace and returns its stdout. */
  exec(command: string, args: string[]): string;
  /** A script that starts `binary` inside the namespace (for tools that take an executable path). */
  wrap(binary: string): string;
  close(): void;
}

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();

/** Why a namespace cannot be made here (not root, no `ip`), or undefined when it can. */
export function netnsUnavailable(): string | undefined {
  const probe = `opsroom-probe-${randomBytes(3).toString('hex')}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return undefined;
  } catch (err) {
    return `ip netns is not permitted here (${((err as { stderr?: Buffer }).stderr?.toString() || (err as Error).message).trim()})`;
  }
}

export function createNetns(): Netns {
  const tag = randomBytes(3).toString('hex');
  const name = `opsroom-${tag}`;
  const hostIf = `vo${tag}h`;
  const nsIf = `vo${tag}n`;
  const block = randomInt(0, 16384) * 4;
  const base = `10.200.${block >> 8}.`;
  const hostAddress = `${base}${(block & 255) + 1}`;
  const nsAddress = `${base}${(block & 255) + 2}`;
  const scripts = mkdtempSync(path.join(os.tmpdir(), 'opsroom-netns-'));
  ip('netns', 'add', name);
  try {
    ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
    ip('link', 'set', nsIf, 'netns', name);
    ip('addr', 'add', `${hostAddress}/30`, 'dev', hostIf);
    ip('link', 'set', hostIf, 'up');
    ip('netns', 'exec', name, 'ip', 'addr', 'add', `${nsAddress}/30`, 'dev', nsIf);
    ip('netns', 'exec', name, 'ip', 'link', 'set', nsIf, 'up');
    ip('netns', 'exec', name, 'ip', 'link', 'set', 'lo', 'up');
  } catch (err) {
    try {
      ip('link', 'del', hostIf);
    } catch {}
    ip('netns', 'del', name);
    throw err;
  }
  return {
    name,
    hostAddress,
    nsAddress,
    exec: (command, args) => execFileSync('ip', ['netns', 'exec', name, command, ...args], { stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 }).toString(),
    wrap: (binary) => {
      const file = path.join(scripts, path.basename(binary));
      writeFileSync(file, `#!/bin/sh\nexec ip netns exec ${name} ${binary} "$@"\n`);
      chmodSync(file, 0o755);
      return file;
    },
    close: () => {
      try {
        ip('link', 'del', hostIf);
      } catch {}
      try {
        ip('netns', 'del', name);
      } catch {}
      rmSync(scripts, { recursive: true, force: true });
    },
  };
}
