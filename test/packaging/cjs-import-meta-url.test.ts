import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { fileUrl } from '../../src/shims/cjs-import-meta-url.js';

// The CommonJS build finds its .wasm files through this URL; where Node lacks
// process.getBuiltinModule (< 20.16) it is built from the URL API alone.
describe('the CommonJS build’s import.meta.url fallback', () => {
  const posix = ['/tmp/we#ird%20dir/dist/index.cjs', '/a b/c?d/é.cjs', '/x\\y/z\n\t\r.cjs', '/plain/dist/index.cjs', '/%25/%%/#?#/x'];

  it.each(posix)('POSIX %j: the URL Node would give', (path) => {
    expect(fileUrl(path, 'linux')).toBe(pathToFileURL(path).href);
    expect(fileURLToPath(fileUrl(path, 'linux'))).toBe(path);
  });

  it('POSIX: characters the URL may leave unescaped still name the same file', () => {
    const path = '/a[b]{c}`d"/e<f>|g^h.cjs';
    expect(fileURLToPath(fileUrl(path, 'linux'))).toBe(path);
  });

  it('Windows drive and UNC paths', () => {
    expect(fileUrl('C:\\Users\\a b\\c#d%e\\index.cjs', 'win32')).toBe('file:///C:/Users/a%20b/c%23d%25e/index.cjs');
    expect(fileUrl('\\\\server\\share\\dist\\index.cjs', 'win32')).toBe('file://server/share/dist/index.cjs');
  });
});
