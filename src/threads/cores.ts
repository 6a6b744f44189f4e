import { MAX_THREADS } from './request.js';

/**
 * The cores this runtime may use, at most MAX_THREADS, or 1 when it does not
 * say: navigator.hardwareConcurrency (browsers, Deno, Bun, Node ≥ 21, where
 * it is os.availableParallelism without loading node:os), else
 * os.availableParallelism where process.getBuiltinModule hands node:os over
 * synchronously (Node 20.16 and later: loading it costs a cold start about
 * 0.3 ms).
 */
export function coreCount(): number {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { getBuiltinModule?: (id: string) => { availableParallelism?: () => number } | undefined } };
  const n = g.navigator?.hardwareConcurrency ?? g.process?.getBuiltinModule?.('os')?.availableParallelism?.() ?? 1;
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_THREADS) : 1;
}
