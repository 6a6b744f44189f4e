// Writes assembly/abi.ts from src/backend/abi.ts, the one declaration of the
// kernel ABI: every exported object of numbers becomes an AssemblyScript enum
// of the same name and members, every exported number a constant, so both
// sides of the ABI use the same names for the same values. Run by
// `npm run build:wasm` before the compiler; `node scripts/generate-abi.mjs`
// runs it alone. test/backend/abi.test.ts compares the committed file with
// renderAssemblyAbi's output.
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'esbuild';

const SOURCE = fileURLToPath(new URL('../src/backend/abi.ts', import.meta.url));
const TARGET = fileURLToPath(new URL('../assembly/abi.ts', import.meta.url));

const HEADER = `// Generated from src/backend/abi.ts by scripts/generate-abi.mjs (run by
// \`npm run build:wasm\`): do not edit. Meanings, units and who writes what are
// documented there; test/backend/abi.test.ts fails when this file is stale.
`;

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

function checkInteger(name, value) {
  if (!Number.isInteger(value) || value < -(2 ** 31) || value >= 2 ** 31) {
    throw new Error(`generate-abi: ${name}: expected an i32 integer, got ${String(value)}`);
  }
  return value;
}

/**
 * The text of assembly/abi.ts for the ABI module `abi` (the exports of
 * src/backend/abi.ts), declarations sorted by name (the order a module
 * namespace lists them in, whichever loader made it).
 */
export function renderAssemblyAbi(abi) {
  const blocks = [];
  for (const name of Object.keys(abi).sort()) {
    const value = abi[name];
    if (!IDENTIFIER.test(name)) throw new Error(`generate-abi: ${name}: not an identifier`);
    if (typeof value === 'number') {
      blocks.push(`export const ${name}: i32 = ${checkInteger(name, value)};`);
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      const members = Object.entries(value).map(([key, v]) => {
        if (!IDENTIFIER.test(key)) throw new Error(`generate-abi: ${name}.${key}: not an identifier`);
        return `  ${key} = ${checkInteger(`${name}.${key}`, v)},`;
      });
      blocks.push(`export enum ${name} {\n${members.join('\n')}\n}`);
    } else {
      throw new Error(`generate-abi: ${name}: expected a number or an object of numbers (src/backend/abi.ts is pure data), got ${typeof value}`);
    }
  }
  return `${HEADER}\n${blocks.join('\n\n')}\n`;
}

/** src/backend/abi.ts evaluated on its own (it has no imports), as a module namespace. */
export async function loadAbi() {
  const { code } = await transform(readFileSync(SOURCE, 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' });
  return import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
}

/** Regenerates assembly/abi.ts when it differs (written to a temporary name beside it, then renamed). */
export async function generateAssemblyAbi() {
  const text = renderAssemblyAbi(await loadAbi());
  let current = null;
  try {
    current = readFileSync(TARGET, 'utf8');
  } catch {
    // first generation
  }
  if (current === text) return false;
  const temporary = `${TARGET}.${process.pid}.tmp`;
  writeFileSync(temporary, text, { flush: true });
  renameSync(temporary, TARGET);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const changed = await generateAssemblyAbi();
  console.error(`generate-abi: assembly/abi.ts ${changed ? 'written' : 'already up to date'}`);
}
