import type { Request, RequestHandler } from 'express';
import helmet from 'helmet';
import type { Config } from '../config/env';
import { fixedHeaders } from './fixedHeaders';

const CSP_DIRECTIVES = {
  // MUI injects <style> tags at run time.
  'style-src': ["'self'", "'unsafe-inline'"],
  'img-src': ["'self'", 'data:', 'https:'],
};

// Two sets of headers, picked per request by the scheme it arrived on: HSTS and
// upgrade-insecure-requests over plain HTTP make a browser fetch the console's assets over an
// HTTPS nobody serves, and the page stays blank.
const overHttps = fixedHeaders(helmet({ contentSecurityPolicy: { directives: CSP_DIRECTIVES } }));
const overHttp = fixedHeaders(
  helmet({
    contentSecurityPolicy: { directives: { ...CSP_DIRECTIVES, 'upgrade-insecure-requests': null } },
    strictTransportSecurity: false,
  }),
);

/**
 * Whether the request reached us over HTTPS: directly, or per the X-Forwarded-Proto of a proxy
 * TRUST_PROXY trusts (Express's req.secure already applies that rule).
 */
export const arrivedOverHttps = (req: Request) => req.secure;

/** The origin the request arrived on: its scheme (behind a trusted proxy, X-Forwarded-Proto) and Host. */
export const requestOrigin = (req: Request) => `${arrivedOverHttps(req) ? 'https' : 'http'}://${req.get('host') ?? 'localhost'}`;

export const securityHeaders: RequestHandler = (req, res, next) => (arrivedOverHttps(req) ? overHttps : overHttp)(req, res, next);

const LOOPBACK = /^(127\.|::1$|::ffff:127\.)/;
// The load balancer's health checks come over plain HTTP from inside the network.
const PROBES = /^\/(healthz|livez|readyz)$/;

const REFUSAL_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>opsroom needs HTTPS</title></head>
<body style="font-family: sans-serif; max-width: 40em; margin: 4em auto; line-height: 1.5">
<h1>opsroom needs HTTPS</h1>
<p>This console signs operators in with a session cookie, which must not cross the network in the clear.
Open it through the HTTPS address your load balancer serves.</p>
<p>If this server really is meant to be reached over plain HTTP (a private network you trust), start it with
<code>ALLOW_INSECURE_HTTP=1</code>.</p>
</body></html>`;

/**
 * In production, plain HTTP from outside loopback is refused with a page that says why and what
 * to do, unless ALLOW_INSECURE_HTTP says otherwise.
 */
export function requireHttpsInProduction(config: Pick<Config, 'production' | 'allowInsecureHttp'>): RequestHandler {
  return (req, res, next) => {
    if (!config.production || config.allowInsecureHttp || arrivedOverHttps(req) || PROBES.test(req.path)) return next();
    if (LOOPBACK.test(req.socket.remoteAddress ?? '')) return next();
    res.status(403).set('Cache-Control', 'no-store');
    if (req.path.startsWith('/api/')) {
      res.json({ message: 'opsroom answers only over HTTPS here: use the HTTPS address (or start the server with ALLOW_INSECURE_HTTP=1).' });
      return;
    }
    res.type('html').send(REFUSAL_PAGE);
  };
}
