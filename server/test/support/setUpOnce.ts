import { afterAll, beforeAll } from 'vitest';

/**
 * Inside a `describe`: sets `what` up once before the block's tests and closes it after them. The
 * tests read it through the returned getter, since it only exists once beforeAll has run (a
 * failed set-up reports itself there; the getter then says what is missing).
 */
export function setUpOnce<T extends { close(): unknown }>(what: string, setUp: () => Promise<T>, timeoutMs?: number): () => T {
  let value: T | undefined;
  beforeAll(async () => {
    value = await setUp();
  }, timeoutMs);
  afterAll(async () => {
    await value?.close();
  });
  return () => {
    if (!value) throw new Error(`${what} was not set up`);
    return value;
  };
}
