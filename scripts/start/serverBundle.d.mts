export const SERVER_ENTRY: string;
export const SERVER_BUNDLE: string;
export function serverSourceHash(): string;
export function ensureServerBundle(): Promise<'fresh' | 'built'>;
