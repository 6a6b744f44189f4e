/**
 * A static file server for the browser tests: 127.0.0.1, an ephemeral port,
 * URL prefixes mapped to folders, the Wasm MIME type, and a strict
 * Content-Security-Policy (no 'unsafe-eval', no inline script but the pages'
 * import map, by its hash; 'wasm-unsafe-eval'), so a page that used eval or
 * new Function would fail.
 */
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';

/** The import map the pages carry (simdnet/csv imports the core as 'simdnet'), allowed by its hash: no other inline script runs. */
export const IMPORT_MAP = '{ "imports": { "simdnet": "/dist/browser.js" } }';
const IMPORT_MAP_HASH = `'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'`;

export const STRICT_CSP = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' ${IMPORT_MAP_HASH}; worker-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:`;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

export interface StaticServer {
  /** e.g. http://127.0.0.1:40123 */
  origin: string;
  close(): Promise<void>;
}

/**
 * The headers that make a page cross-origin isolated (COOP and COEP): only
 * such a page gets SharedArrayBuffer, and so threads (init({ threads })).
 */
export const CROSS_ORIGIN_ISOLATED = { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' };

/** routes: URL prefix ('/dist/') → folder. The longest matching prefix wins. `headers`: more response headers (e.g. CROSS_ORIGIN_ISOLATED). */
export async function serveStatic(routes: Record<string, string>, csp: string = STRICT_CSP, headers: Record<string, string> = {}): Promise<StaticServer> {
  const table = Object.entries(routes).sort((a, b) => b[0].length - a[0].length);
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const route = table.find(([prefix]) => path.startsWith(prefix));
    let file = '';
    if (route) {
      const root = resolve(route[1]);
      file = resolve(join(root, path.slice(route[0].length)));
      if (file !== root && !file.startsWith(root + sep)) file = '';
    }
    try {
      if (file && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!file || !statSync(file).isFile()) throw new Error('not found');
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': csp,
      'cache-control': 'no-store',
      ...headers,
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
