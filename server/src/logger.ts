import pino from 'pino';

// Secrets are redacted by path at the logger, so no call site can leak one by accident.
export const REDACT_PATHS = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.passwordHash',
  '*.password_hash',
  '*.key',
  '*.apiKey',
  '*.encryptedKey',
  '*.encrypted_key',
  '*.token',
];

export function createLogger(opts: { level?: string; destination?: pino.DestinationStream } = {}) {
  const level = opts.level ?? process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  return pino({ level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, opts.destination);
}
export type Logger = ReturnType<typeof createLogger>;
