import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../config/env';

/**
 * AES-256-GCM with versioned master keys. `OPSROOM_ENCRYPTION_KEY` holds one base64 key (version 1)
 * or a comma-separated list `3:<base64>,2:<base64>`: the first is used to encrypt, all of them to
 * decrypt, so the master key can rotate without re-encrypting every row at once.
 */
export interface KeyRing {
  current: number;
  keys: Map<number, Buffer>;
}

function decodeKey(raw: string, label: string): Buffer {
  const key = Buffer.from(raw.trim(), 'base64');
  if (key.length !== 32) {
    throw new ConfigError(`${label} must be 32 bytes, base64-encoded (generate one with: openssl rand -base64 32).`);
  }
  return key;
}

export function parseKeyRing(value: string): KeyRing {
  const keys = new Map<number, Buffer>();
  let current = 0;
  for (const part of value.split(',').filter((p) => p.trim())) {
    const m = /^\s*(\d+):(.+)$/.exec(part);
    const version = m ? Number(m[1]) : 1;
    keys.set(version, decodeKey(m ? m[2] : part, 'OPSROOM_ENCRYPTION_KEY'));
    if (!current) current = version;
  }
  if (!current) throw new ConfigError('OPSROOM_ENCRYPTION_KEY is empty: set it to 32 random bytes, base64 (openssl rand -base64 32).');
  return { current, keys };
}

/**
 * Outside production a missing key is created once in the data folder, so `npm start` works on a bare
 * machine and provider keys stay readable across restarts. Production refuses to start without one.
 */
export function loadKeyRing(configured: string | undefined, devKeyFile = path.resolve('.data/encryption.key')): KeyRing {
  if (configured) return parseKeyRing(configured);
  if (!existsSync(devKeyFile)) {
    mkdirSync(path.dirname(devKeyFile), { recursive: true });
    writeFileSync(devKeyFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  }
  return parseKeyRing(readFileSync(devKeyFile, 'utf8'));
}

export function encryptSecret(ring: KeyRing, plaintext: string): { ciphertext: string; keyVersion: number } {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', ring.keys.get(ring.current)!, iv);
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  const tag = cipher.getAuthTag();
  return {
    ciphertext: `v${ring.current}:${iv.toString('base64')}:${tag.toString('base64')}:${data.toString('base64')}`,
    keyVersion: ring.current,
  };
}

export function decryptSecret(ring: KeyRing, envelope: string): string {
  const [v, iv, tag, data] = envelope.split(':');
  const key = ring.keys.get(Number(v?.slice(1)));
  if (!key || !iv || !tag || data === undefined) throw new Error(`no master key for envelope version ${v}`);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
  decipher.setAuthTag(Buffer.from(tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(data, 'base64')), decipher.final()]).toString('utf8');
}

/** API keys and session tokens are looked up by hash; the plaintext never reaches the database. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}
