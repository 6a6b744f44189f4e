/**
 * What init's `threads` option asks for and whether this runtime can give it
 * (the part of threads the core carries; the pool and its workers are loaded
 * on demand: threads-loader.ts). Threads need a shared WebAssembly.Memory:
 * SharedArrayBuffer and Atomics, which browsers give only to pages that are
 * cross-origin isolated (served with COOP and COEP headers), and workers to
 * run on (Node's worker_threads, Web Workers; edge runtimes have none).
 */
import { InitError } from '../errors.js';
import { describe } from '../describe.js';

/** The most threads a runtime takes (and what 'auto' gives at most). */
export const MAX_THREADS = 64;

/** The thread count asked for: 1 unless `threads` says otherwise; an InitError for anything but 'auto' or 1 … MAX_THREADS. */
export function requestedThreads(threads: unknown): number | 'auto' {
  if (threads === undefined || threads === 'auto') return threads === 'auto' ? 'auto' : 1;
  if (typeof threads !== 'number' || !Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new InitError(`init: threads: expected 'auto' or an integer from 1 to ${MAX_THREADS}, got ${typeof threads === 'number' ? String(threads) : describe(threads)}`);
  }
  return threads;
}

/** Why this runtime cannot run threads, or null when it can (workers aside: starting them may still fail). */
export function whyNoThreads(): string | null {
  const g = globalThis as { SharedArrayBuffer?: unknown; Atomics?: unknown; crossOriginIsolated?: boolean; Worker?: unknown; process?: unknown };
  if (g.crossOriginIsolated === false) return 'this page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  if (typeof g.SharedArrayBuffer !== 'function' || typeof g.Atomics !== 'object') return 'this runtime has no SharedArrayBuffer';
  if (typeof g.Worker !== 'function' && typeof g.process !== 'object') return 'this runtime has no workers';
  return null;
}

/** The cores this runtime may use (os.availableParallelism, navigator.hardwareConcurrency), or 1 when it does not say. */
export function coreCount(): number {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { getBuiltinModule?: (id: string) => unknown } };
  const os = typeof g.process?.getBuiltinModule === 'function' ? (g.process.getBuiltinModule('node:os') as { availableParallelism?: () => number; cpus?: () => unknown[] } | undefined) : undefined;
  const n = os?.availableParallelism?.() ?? os?.cpus?.().length ?? g.navigator?.hardwareConcurrency ?? 1;
  return Number.isInteger(n) && n >= 1 ? Math.min(n, MAX_THREADS) : 1;
}
