/**
 * Where the threads code comes from in the universal build (index.js and
 * index.cjs): dist/threads.js beside this module, a file of its own that only
 * a runtime asked for threads loads (index.cjs cannot split, and would carry
 * it inline otherwise). The browser build swaps in threads-loader.browser.ts
 * (a chunk bundlers see), the edge build threads-loader.edge.ts (none at
 * all). Tests alias this module to the sources.
 */
export function loadThreads(): Promise<typeof import('./open.js')> {
  return import(/* @vite-ignore */ new URL('./threads.js', import.meta.url).href) as Promise<typeof import('./open.js')>;
}

type NodeModule = { createRequire(from: string): (id: string) => unknown };

/**
 * The threads code without waiting, where it can be had so (Node >= 20.16,
 * Deno, Bun: process.getBuiltinModule): dist/threads.cjs, the same code as
 * dist/threads.js built as CommonJS, which require loads within the call. A
 * default runtime starts its workers from inside a training step, and a
 * synchronous fit lets no import finish before it returns. Null elsewhere,
 * or when the file cannot be loaded (the caller goes the asynchronous way).
 */
export function loadThreadsNow(): typeof import('./open.js') | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const nodeModule = typeof proc?.getBuiltinModule === 'function' ? (proc.getBuiltinModule('node:module') as NodeModule | undefined) : undefined;
  if (!nodeModule) return null;
  try {
    return nodeModule.createRequire(import.meta.url)('./threads.cjs') as typeof import('./open.js');
  } catch {
    return null;
  }
}
