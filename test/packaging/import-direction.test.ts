/**
 * Imports run one way (test/support/import-graph.ts holds the order): errors
 * and the small helpers → backend → memory → runtime → data → metrics → io →
 * network → training → evaluation → pipeline → the core entry → simdnet/csv
 * and the interchange entries (over the core, by its package name) → cli.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importViolations, modulesUnder, RANKS, roomOf, valueImports, violation } from '../support/import-graph.js';
import { ROOT } from '../support/packed.js';

const SRC = join(ROOT, 'src');

describe('imports run one way', () => {
  it('no module of src/ imports a room above its own, and the code built apart from the core imports it by name', () => {
    const found = importViolations(SRC);
    expect(found, found.join('\n')).toEqual([]);
  });

  it('every room of src/ has a rank', () => {
    const rooms = new Set(modulesUnder(SRC).map(roomOf));
    expect([...rooms].filter((r) => RANKS[r] === undefined)).toEqual([]);
  });

  it('the check itself catches an upward import, a relative import of the core from simdnet/csv, and skips type-only imports', () => {
    const up = valueImports('network/plan.ts', "import { Trainer } from '../training/trainer.js';\nimport type { Fit } from '../training/fit-run.js';");
    expect(up.map(violation)).toEqual([expect.stringContaining("'network' (rank 10) may only import rooms below it")]);
    const sideways = valueImports('model/model.ts', "import { Network } from '../network/network.js';\nimport { ValueError, type Task } from 'simdnet';");
    expect(sideways.map(violation)).toEqual([expect.stringContaining("by its package name ('simdnet')"), null]);
    const lazy = valueImports('backend/backend.ts', "const m = await import('../training/trainer.js');\nexport { type X } from '../cli/main.js';");
    expect(lazy.map(violation)).toEqual([expect.stringContaining("'backend' (rank 4)")]);
    expect(valueImports('io/x.ts', "import { type A, type B } from '../cli/args.js';")).toEqual([]);
  });
});
