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
