/** Edge runtimes have no threads: the default init runs on one thread there, and the edge build carries no threads code (see default-threads.ts). */
export function defaultThreadedRuntime(): Promise<null> {
  return Promise.resolve(null);
}
