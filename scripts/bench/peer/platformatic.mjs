// Run by Node 24 from bench/.peer (Platformatic DB needs Node 22+): serves DATABASE_URL's tables
// as Platformatic's generated REST API and prints {"url": …} once listening.
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const peerDir = process.env.PEER_DIR;
const { create } = await import(pathToFileURL(path.join(peerDir, 'node_modules/@platformatic/db/index.js')).href);
const app = await create(process.cwd(), {
  server: { hostname: '127.0.0.1', port: 0, logger: { level: 'warn' } },
  db: { connectionString: process.env.DATABASE_URL, graphql: false, openapi: true },
  watch: false,
});
const url = await app.start({ listen: true });
process.stdout.write(`${JSON.stringify({ url: String(url).replace('0.0.0.0', '127.0.0.1') })}\n`);
const stop = () => app.stop().finally(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
