/** The threads code in browsers and bundles: a chunk loaded on demand (see threads-loader.ts). */
export function loadThreads(): Promise<typeof import('./open.js')> {
  return import('./open.js');
}

/** Null: a page loads the threads chunk asynchronously (see threads-loader.ts). */
export function loadThreadsNow(): typeof import('./open.js') | null {
  return null;
}
