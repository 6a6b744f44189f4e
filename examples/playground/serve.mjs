// Serves the playground: `npm run playground` (after npm install, which
// builds dist/), then open the printed URL. Only this folder, dist/ and
// examples/data are served, on 127.0.0.1. PORT=… picks the port (default 8787,
// or any free one when that is taken).
import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = resolve(fileURLToPath(new URL('.', import.meta.url)));
const ROOT = resolve(HERE, '../..');
const ROUTES = [
  ['/dist/', join(ROOT, 'dist')],
  ['/data/', join(ROOT, 'examples/data')],
  ['/', HERE],
];
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.csv': 'text/csv; charset=utf-8',
  '.map': 'application/json',
};
// What the page needs and no more: no eval, no inline script but the page's
// import map (allowed by its hash; simdnet/csv imports the core as 'simdnet'); Wasm compiles.
const IMPORT_MAP = '{ "imports": { "simdnet": "/dist/browser.js" } }';
const CSP = `default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'sha256-${createHash('sha256').update(IMPORT_MAP).digest('base64')}'; worker-src 'self'; style-src 'self'; img-src 'self' data:`;

function handle(req, res) {
  const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
  const [prefix, dir] = ROUTES.find(([p]) => path.startsWith(p));
  let file = resolve(dir, '.' + sep + path.slice(prefix.length));
  if (file !== dir && !file.startsWith(dir + sep)) file = '';
  try {
    if (file && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!file || !statSync(file).isFile()) throw new Error();
  } catch {
    res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: ${path}${path.startsWith('/dist/') ? ' (run npm run build)' : ''}`);
    return;
  }
  res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'content-security-policy': CSP, 'cache-control': 'no-cache' });
  createReadStream(file).pipe(res);
}

/** Starts the server; resolves with { url, close }. port 0: any free port. */
export function startPlayground({ port = 8787, host = '127.0.0.1' } = {}) {
  return new Promise((ok, fail) => {
    const server = createServer(handle);
    server.once('error', (e) => {
      if (e.code === 'EADDRINUSE' && port !== 0) startPlayground({ port: 0, host }).then(ok, fail);
      else fail(e);
    });
    server.listen(port, host, () => {
      const url = `http://${host}:${server.address().port}/`;
      ok({ url, close: () => new Promise((done) => { server.closeAllConnections(); server.close(() => done()); }) });
    });
  });
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    statSync(join(ROOT, 'dist/browser.js'));
  } catch {
    console.error('dist/browser.js is missing: run `npm run build` (npm install does it) first');
    process.exit(1);
  }
  const { url } = await startPlayground({ port: Number(process.env.PORT ?? 8787) });
  console.log(`simdnet playground: ${url}  (Ctrl-C to stop)`);
}
