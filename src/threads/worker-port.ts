/**
 * How a worker thread talks to the thread that started it, in Node
 * (worker_threads' parentPort); the browser's worker swaps in
 * worker-port.browser.ts (no Node code in what a page loads).
 */

/** What the pool sends a worker to start it: see ThreadPool.start. */
export interface WorkerStart {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  sync: number;
  index: number;
}

export interface Port {
  once(listener: (data: WorkerStart) => void): void;
  post(message: unknown): void;
  /** Called if the thread exits (process.exit in a job): Node only. */
  onExit(listener: (code: number) => void): void;
}

export async function port(): Promise<Port> {
  const { parentPort } = (await import(/* @vite-ignore */ 'node:worker_threads' as string)) as typeof import('node:worker_threads');
  const proc = (globalThis as { process?: { on(e: 'exit', l: (code: number) => void): void } }).process;
  return {
    once: (listener) => parentPort!.once('message', listener),
    post: (m) => parentPort!.postMessage(m),
    onExit: (listener) => proc?.on('exit', listener),
  };
}
