import { MAX_THREADS } from './request.js';

/**
 * The cores this runtime may use, at most MAX_THREADS, or 1 when it does not
 * say: os.availableParallelism where process.getBuiltinModule hands over
 * node:os synchronously (Node ≥ 20.16, Deno, Bun), else
 * navigator.hardwareConcurrency (browsers, Node ≥ 21).
 */
export function coreCount(): number {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { getBuiltinModule?: (id: string) => { availableParallelism?: () => number } | undefined } };
  const n = g.process?.getBuiltinModule?.('os')?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency ?? 1;
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_THREADS) : 1;
}
