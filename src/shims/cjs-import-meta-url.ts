// The CommonJS build's stand-in for import.meta.url (tsup.config.ts defines
// import.meta.url as this for the cjs format only). tsup's own shim builds
// the URL as 'file:' + __filename, which breaks on a '#', '?' or '%' in the
// path (the .wasm beside the bundle is then looked for in the wrong place).
// No require(): bundlers that read the CommonJS build must not see a Node
// module to resolve.

declare const __filename: string | undefined;

interface NodeProcess {
  platform?: string;
  getBuiltinModule?: (id: string) => unknown;
}

/** Node's url.pathToFileURL(path).href, from the URL API alone where Node < 20.16 lacks getBuiltinModule. */
export function fileUrl(path: string, platform: string | undefined): string {
  const url = new URL('file://');
  path = path.replace(/%/g, '%25');
  if (platform === 'win32') {
    path = path.replace(/\\/g, '/');
    if (path.startsWith('//')) {
      // \\server\share\file
      const end = path.indexOf('/', 2);
      url.hostname = path.slice(2, end < 0 ? undefined : end);
      path = end < 0 ? '/' : path.slice(end);
    }
  } else {
    path = path.replace(/\\/g, '%5C');
  }
  // the pathname setter escapes '#', '?' and spaces but drops these
  url.pathname = path.replace(/\n/g, '%0A').replace(/\r/g, '%0D').replace(/\t/g, '%09');
  return url.href;
}

function moduleUrl(): string {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (typeof __filename === 'string') {
    const url = proc?.getBuiltinModule?.('node:url') as typeof import('node:url') | undefined;
    return url ? url.pathToFileURL(__filename).href : fileUrl(__filename, proc?.platform);
  }
  // a CommonJS bundle evaluated in a page (no Node globals)
  const doc = (globalThis as { document?: { currentScript?: { src?: string } | null; baseURI: string } }).document;
  return doc?.currentScript?.src || new URL('index.cjs', doc?.baseURI ?? 'file:///').href;
}

export const importMetaUrl: string = moduleUrl();
