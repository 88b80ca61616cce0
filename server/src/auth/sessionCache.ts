import type { Operator } from './sessions';

interface Entry {
  operator: Operator;
  expiresAt: number;
  cachedAt: number;
}

/**
 * Live sessions by token hash, so checking one costs no database round trip. It is trusted only
 * while a listener hears every change that ends a session (see sessionEvents.ts): until LISTEN
 * succeeds, and from the moment its connection is lost, `get` answers nothing and every request
 * reads the database as before.
 */
export class SessionCache {
  private readonly entries = new Map<string, Entry>();
  /** Bumped on every invalidation: a lookup that began before one must not cache what it read. */
  private generation = 0;
  private live = false;

  constructor(
    private readonly opts: {
      maxEntries?: number;
      /**
       * Even with the listener up, an entry is re-read after this long: a connection that died
       * without the socket noticing can hide invalidations for at most this long.
       */
      maxAgeMs?: number;
    } = {},
  ) {}

  get isLive(): boolean {
    return this.live;
  }

  get(tokenHash: string, now = Date.now()): Operator | undefined {
    if (!this.live) return undefined;
    const entry = this.entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.expiresAt <= now || now - entry.cachedAt > (this.opts.maxAgeMs ?? 60_000)) {
      this.entries.delete(tokenHash);
      return undefined;
    }
    return entry.operator;
  }

  ticket(): number {
    return this.generation;
  }

  set(ticket: number, tokenHash: string, operator: Operator, expiresAt: Date, now = Date.now()): void {
    if (!this.live || ticket !== this.generation) return;
    if (this.entries.size >= (this.opts.maxEntries ?? 10_000)) this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(tokenHash, { operator, expiresAt: expiresAt.getTime(), cachedAt: now });
  }

  dropUser(userId: number): void {
    this.generation++;
    for (const [hash, entry] of this.entries) if (entry.operator.id === userId) this.entries.delete(hash);
  }

  dropToken(tokenHash: string): void {
    this.generation++;
    this.entries.delete(tokenHash);
  }

  clear(): void {
    this.generation++;
    this.entries.clear();
  }

  /** Entries cached while nobody listened may be stale, so both transitions start empty. */
  setLive(live: boolean): void {
    this.clear();
    this.live = live;
  }

  /** A NOTIFY payload from the database triggers: a user id, or '*' for every session. */
  onNotification(payload: string | undefined): void {
    const id = Number(payload);
    if (payload && payload !== '*' && Number.isSafeInteger(id)) this.dropUser(id);
    else this.clear();
  }
}
