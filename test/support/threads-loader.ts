/** Test stand-in for src/threads/threads-loader.ts: the threads code from the sources. */
export function loadThreads(): Promise<typeof import('../../src/threads/open.js')> {
  return import('../../src/threads/open.js');
}
