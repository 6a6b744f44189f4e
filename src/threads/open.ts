/**
 * A runtime on more than one thread, where this runtime allows it (loaded on
 * demand with the rest of the threads code: the core only checks the option).
 * Threads need a shared WebAssembly.Memory: SharedArrayBuffer and Atomics,
 * which browsers give only to pages that are cross-origin isolated (served
 * with COOP and COEP headers), and workers to run on (Node's worker_threads,
 * Web Workers; edge runtimes have none and never load this). Where they
 * cannot be had, the runtime of one thread, with a note saying why.
 */
import type { InitOptions, Runtime } from '../runtime.js';
import type { Backend } from '../backend/backend.js';
import type { MemoryOptions } from '../backend/wasm/index.js';
import { coreCount } from './cores.js';
import { PoolHolder } from './pool-holder.js';
import { startThreads, startThreadsNow } from './start.js';
import { threadsWasmUrl } from './threads-wasm-url.js';

/**
 * What the core lends the threads code: its classes and loaders, one copy of
 * each whichever file this is bundled into (in the universal build,
 * dist/threads.js is apart from the core: an InitError thrown here must be
 * the core's). See src/runtime.ts.
 */
export interface ThreadsHost {
  Runtime: new (backend: Backend) => Runtime;
  createBackend(o: InitOptions): Promise<Backend>;
  loading(option: string, what: string, compile: () => Promise<WebAssembly.Module>): Promise<WebAssembly.Module>;
  compileUrl(url: URL): Promise<WebAssembly.Module>;
  instantiateKernels(module: WebAssembly.Module, memory: MemoryOptions, shared: boolean): Backend;
  memoryOptions(o: InitOptions): MemoryOptions;
  useSimd(o: InitOptions): boolean;
}

/** The runtime init({ threads: n | 'auto' }) asks for, its workers started and ready. */
export async function threadedRuntime(asked: number | 'auto', o: InitOptions, host: ThreadsHost): Promise<Runtime> {
  const count = asked === 'auto' ? coreCount() : asked;
  const given = (['module', 'bytes', 'url'] as const).find((k) => o[k] !== undefined);
  const why = count < 2
    ? null
    : o.backend === 'js'
      ? 'the pure-JS backend runs on one thread'
      : given !== undefined
        ? `a ${given} given is a one-thread build (threads use the bundled simd-threads.wasm or scalar-threads.wasm)`
        : whyNoThreads();
  if (count < 2 || why !== null) {
    const single = new host.Runtime(await host.createBackend(o));
    if (why !== null) single.note = `1 thread of the ${count} asked for: ${why}`;
    return single;
  }
  const memory = host.memoryOptions(o);
  const file = host.useSimd(o) ? 'simd-threads.wasm' : 'scalar-threads.wasm';
  const module = await host.loading('threads', `the bundled ${file} could not be loaded`, () => host.compileUrl(threadsWasmUrl(file)));
  const runtime = new host.Runtime(host.instantiateKernels(module, memory, true));
  // asked for threads: they start now, and init resolves once each is ready (or has failed to start)
  const holder = (runtime.holder = new PoolHolder(count, null));
  await startThreads(runtime.heap, module, holder, true);
  return runtime;
}

/** Why this runtime cannot run threads, or null when it can (workers aside: starting them may still fail). */
function whyNoThreads(): string | null {
  const g = globalThis as { SharedArrayBuffer?: unknown; Atomics?: unknown; crossOriginIsolated?: boolean; Worker?: unknown; process?: unknown };
  if (g.crossOriginIsolated === false) return 'this page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)';
  if (typeof g.SharedArrayBuffer !== 'function' || typeof g.Atomics !== 'object') return 'this runtime has no SharedArrayBuffer';
  if (typeof g.Worker !== 'function' && typeof g.process !== 'object') return 'this runtime has no workers';
  return null;
}

export { startThreads, startThreadsNow };
