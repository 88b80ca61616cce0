import type { Response } from 'express';

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * `res.json` for the API's reads, the same bytes and headers without Express's per-call work:
 * `res.json` and `res.send` parse and re-format the Content-Type they set themselves (the
 * `content-type` and `mime-types` packages, ~2% of a getOne's CPU under load) and test freshness
 * against an ETag the API never sends. The app sets no `json replacer`, `json spaces` or
 * `json escape`, so the body is plain `JSON.stringify`; a HEAD answer keeps its Content-Length
 * and Node drops the body.
 */
export function sendJson(res: Response, body: unknown): void {
  const json = JSON.stringify(body) ?? '';
  res.setHeader('Content-Type', JSON_TYPE);
  res.setHeader('Content-Length', Buffer.byteLength(json));
  res.end(json);
}
