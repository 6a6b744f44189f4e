/** Edge runtimes have no threads: the edge build carries no threads code (see threads-loader.ts). */
export function loadThreads(): Promise<typeof import('./open.js')> {
  return Promise.reject(new Error('edge runtimes have no threads'));
}

/** Null: edge runtimes have no threads (see threads-loader.ts). */
export function loadThreadsNow(): typeof import('./open.js') | null {
  return null;
}
