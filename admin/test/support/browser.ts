import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

const LAUNCH_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

/**
 * Why the browser tests cannot run here, or undefined when they can. On CI a missing Chromium is
 * a failure, not a skip: the browser tests are the console's proof.
 */
export function chromiumMissing(): string | undefined {
  if (existsSync(chromiumPath)) return undefined;
  const reason = `Chromium not found at ${chromiumPath} (set CHROMIUM_PATH or apt-get install chromium): browser tests skipped`;
  if (process.env.CI) throw new Error(reason.replace('skipped', 'required on CI'));
  return reason;
}

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

/**
 * One Chromium per test file, on a fresh profile directory removed afterwards. `executablePath`:
 * a wrapper that starts Chromium elsewhere (inside a network namespace); `args`: more switches (the
 * console bench compares Chromium features with them).
 */
export async function launchBrowser(opts: { executablePath?: string; args?: string[] } = {}): Promise<Browser> {
  const userDataDir = mkdtempSync(path.join(os.tmpdir(), 'opsroom-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: opts.executablePath ?? chromiumPath,
    headless: true,
    args: [...LAUNCH_ARGS, ...(opts.args ?? [])],
    viewport: { width: 1400, height: 900 },
  });
  return {
    context,
    close: async () => {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}
