/** Test stand-in for src/threads/threads-loader.ts: the threads code from the sources. */
export function loadThreads(): Promise<typeof import('../../src/threads/start.js')> {
  return import('../../src/threads/start.js');
}
