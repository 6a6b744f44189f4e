/**
 * The runtime of the default init (no `threads` given): threads wherever
 * they can be had, at no cost to a program that never needs them. Where
 * threads are possible (Node with two cores or more, a cross-origin isolated
 * page; see threadsPossible), the backend is the threads build over a shared
 * memory, and nothing else of threads is loaded: no worker, no pool, no
 * threads code. Its three step kernels are wrapped only to count the work
 * of the calls large enough to share (the rule of threaded-kernels.ts):
 * once they have done START_WORK (work.ts) on the calling thread, the call
 * that passes it starts the workers in the background (the threads code is
 * loaded then) and itself runs on the calling thread as every call before
 * it; the calls after it share among the workers that are ready. The bits
 * are the same either way, so results never depend on when the workers came.
 * Elsewhere: null, and init makes the one-thread runtime, with no note.
 * The edge build swaps in default-threads.edge.ts (no threads at all).
 */
import type { InitOptions, Runtime } from '../runtime.js';
import type { KernelExports } from '../backend/abi.js';
import type { ThreadsHost } from './open.js';
import { coreCount } from './cores.js';
import { PoolHolder } from './pool-holder.js';
import { loadThreads, loadThreadsNow } from './threads-loader.js';
import { threadsWasmUrl } from './threads-wasm-url.js';
import { largeWork, MIN_WORK, START_WORK } from './work.js';

type Kernels = { -readonly [K in keyof KernelExports]: KernelExports[K] };

export async function defaultThreadedRuntime(o: InitOptions, host: ThreadsHost): Promise<Runtime | null> {
  const count = coreCount();
  if (count < 2 || !threadsPossible(o)) return null;
  const memory = host.memoryOptions(o);
  const file = host.useSimd(o) ? 'simd-threads.wasm' : 'scalar-threads.wasm';
  let module: WebAssembly.Module;
  try {
    module = await host.compileUrl(threadsWasmUrl(file));
  } catch {
    // a bundle that left the threads builds out: one thread, as before threads were the default
    return null;
  }
  const runtime = new host.Runtime(host.instantiateKernels(module, memory, true));
  const heap = runtime.heap;
  const k = runtime.backend.kernels as Kernels;
  const { mlp_train_step: trainStep, mlp_forward: forward, mlp_loss: loss } = k;
  // none of these closures references the runtime (see pool-holder.ts)
  const holder = new PoolHolder(count, () => {
    // the one-thread kernels back: the threads code puts its own over them
    Object.assign(k, { mlp_train_step: trainStep, mlp_forward: forward, mlp_loss: loss });
    // Node: the workers spawned within this call, so that a synchronous fit shares its later steps
    if (loadThreadsNow()?.startThreadsNow(heap, module, holder)) return;
    loadThreads()
      .then((threads) => threads.startThreads(heap, module, holder, false))
      .catch((e: unknown) => holder.close(`workers cannot be started here (${String(e)})`));
  });
  let done = 0;
  const spot = (table: number, layerCount: number, rows: number): void => {
    done += largeWork(2 * MIN_WORK, heap, table, layerCount, rows);
    if (done >= START_WORK) holder.start();
  };
  k.mlp_train_step = (table, layerCount, X, Y, rows, lossCode, opt, scratch, undo) => {
    spot(table, layerCount, rows);
    return trainStep(table, layerCount, X, Y, rows, lossCode, opt, scratch, undo);
  };
  k.mlp_forward = (table, layerCount, X, rows, scratch) => {
    spot(table, layerCount, rows);
    forward(table, layerCount, X, rows, scratch);
  };
  k.mlp_loss = (table, layerCount, X, Y, rows, lossCode, scratch) => {
    spot(table, layerCount, rows);
    return loss(table, layerCount, X, Y, rows, lossCode, scratch);
  };
  runtime.holder = holder;
  return runtime;
}

/**
 * Whether the default may use threads: the bundled Wasm backend (a given
 * module, bytes or URL is a one-thread build; the pure-JS backend has no
 * threads), a shared memory (a page only has one when cross-origin
 * isolated) and workers to run on.
 */
function threadsPossible(o: InitOptions): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; Worker?: unknown; process?: unknown };
  return (
    // null is a value given (refused by createBackend), not a request for the default
    (o.backend === undefined || o.backend === 'wasm') &&
    (o.module ?? o.bytes ?? o.url) === undefined &&
    g.crossOriginIsolated !== false &&
    typeof SharedArrayBuffer === 'function' &&
    typeof Atomics === 'object' &&
    (typeof g.Worker === 'function' || typeof g.process === 'object')
  );
}
