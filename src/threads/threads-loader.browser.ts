/** The threads code in browsers and bundles: a chunk loaded on demand (see threads-loader.ts). */
export function loadThreads(): Promise<typeof import('./start.js')> {
  return import('./start.js');
}
