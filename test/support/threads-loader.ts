/** Test stand-in for src/threads/threads-loader.ts: the threads code from the sources. */
import * as open from '../../src/threads/open.js';

export function loadThreads(): Promise<typeof import('../../src/threads/open.js')> {
  return import('../../src/threads/open.js');
}

/** As dist/threads.cjs is loaded where it can be, without waiting. */
export function loadThreadsNow(): typeof import('../../src/threads/open.js') | null {
  return open;
}
