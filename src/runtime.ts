import type { Backend, BackendKind } from './backend/backend.js';
import { instantiateKernels, type MemoryOptions } from './backend/wasm/index.js';
import { simdSupported } from './backend/wasm/detect.js';
import { compileBundled, compileBytes, compileUrl } from './backend/wasm/load.js';
import { InitError, SimdnetError, StateError } from './errors.js';
import { readOptions } from './options.js';
import { describe } from './validate.js';
import { Heap } from './memory/heap.js';
import { requestedThreads } from './threads/request.js';
import { loadThreads } from './threads/threads-loader.js';
import { defaultThreadedRuntime } from './threads/default-threads.js';
import type { PoolHolder } from './threads/pool-holder.js';
import type { ThreadPool } from './threads/pool.js';

/**
 * A compiled WebAssembly module (a `WebAssembly.Module`: what
 * `WebAssembly.compile` gives, or what an edge platform hands over for
 * `import wasm from 'simdnet/simd.wasm'`). Written as `object` so that these
 * declarations compile without the DOM lib (a Node-only `tsconfig`):
 * `WebAssembly.Module` has no members of its own, so every module fits, and
 * `init` checks at run time that it is one.
 */
export type WasmModule = object;

/** Where to get the Wasm kernels from. Without any, the bundled `.wasm` beside this module is loaded. */
export interface InitOptions extends MemoryOptions {
  /** 'wasm' (default): the SIMD build where supported, else the scalar build. 'js': the pure-JS backend. */
  backend?: 'wasm' | 'js';
  /** With the bundled builds: false forces the scalar build; true requires SIMD (default: detect). */
  simd?: boolean;
  /** A compiled simdnet module, a `WebAssembly.Module` (e.g. `import wasm from 'simdnet/simd.wasm'` in edge runtimes). */
  module?: WasmModule;
  /** The bytes of a simdnet `.wasm` file. */
  bytes?: ArrayBuffer | ArrayBufferView;
  /** A URL to fetch a simdnet `.wasm` file from. */
  url?: string | URL;
  /** Make this runtime the default for networks created without one (default true). */
  setDefault?: boolean;
  /**
   * Threads to share training steps and batch predictions among: a number
   * from 1 to 64, or 'auto' for one per core (os.availableParallelism,
   * navigator.hardwareConcurrency). More than one needs a shared memory and
   * workers: Node (worker_threads), or a browser page that is cross-origin
   * isolated (Web Workers); elsewhere, and on edge runtimes, the runtime runs
   * on one thread and `runtime.threadsNote` says why. Asked for, the workers
   * start before init resolves.
   *
   * Default: one per core where threads are possible (Node on two cores or
   * more, a cross-origin isolated page; the bundled Wasm builds only), else
   * one thread with no note. The default starts no worker in init: once the
   * calls large enough to share have done 256 Mi multiply-adds (about 25 ms
   * of training on one core) on the calling thread, the workers start (in
   * Node within that call, so a synchronous `fit` shares its later steps;
   * elsewhere in the background), so a program that makes no such calls, or
   * one or two and ends, pays nothing for threads. The results are the same bits for any
   * thread count and whenever the workers come; small steps always stay on
   * the calling thread (see docs/threads.md).
   */
  threads?: number | 'auto';
}

/**
 * A backend with its memory and allocator. Networks live in one runtime;
 * several networks can share it.
 */
export class Runtime {
  /** @internal */
  readonly heap: Heap;
  /** @internal */
  readonly backend: Backend;

  /** @internal the worker threads of a runtime on more than one thread (started or not) */
  holder: PoolHolder | null = null;
  /** @internal why there are fewer threads than init was asked for, before any worker ran */
  note: string | null = null;

  /** @internal the worker threads, once started */
  get pool(): ThreadPool | null {
    return this.holder?.pool ?? null;
  }

  /** @internal */
  constructor(backend: Backend) {
    this.backend = backend;
    this.heap = new Heap(backend);
  }

  /**
   * Threads this runtime shares large calls among, the calling thread's
   * included: what `init({ threads })` asked for and got, or, by default,
   * one per core where threads are possible, else 1. A default runtime
   * reports its count before its workers started (they start once its large
   * calls have done enough work; until they are ready such calls run on the
   * calling thread). A worker that failed, or `dispose()`, brings it to 1.
   */
  get threads(): number {
    return this.holder ? this.holder.threads : 1;
  }

  /**
   * Why `threads` is fewer than init was asked for (no shared memory, a
   * worker that failed or could not start, disposed), or null. The default
   * on one thread says nothing (ask `init({ threads: 'auto' })` to learn why).
   */
  get threadsNote(): string | null {
    return this.holder?.note ?? this.note;
  }

  /**
   * Ends every worker thread (a Node process then exits on its own when its
   * work is done). Networks of this runtime go on working, on the calling
   * thread alone, with the same results. Calling it again does nothing.
   */
  dispose(): void {
    this.holder?.close('the runtime was disposed');
  }

  /** 'wasm-simd', 'wasm-scalar' or 'js'. */
  get kind(): BackendKind {
    return this.backend.kind;
  }

  /** Bytes allocated to live networks. */
  get liveBytes(): number {
    return this.heap.liveBytes;
  }

  /** Current size of linear memory in bytes. */
  get memoryBytes(): number {
    return this.heap.memoryBytes;
  }
}

let defaultRuntime: Runtime | null = null;

// A runtime nobody references any more ends its workers: a program (or a
// test suite) that calls init() again and again piles none up. The holder
// references no runtime, or the registry would keep every runtime alive.
const collected = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry<PoolHolder>((holder) => holder.close('the runtime was collected')) : null;

/**
 * Loads the kernels and returns a runtime (also made the default for new
 * networks unless `setDefault: false`). Nothing happens on import; nothing
 * here uses top-level await.
 */
export async function init(options: InitOptions = {}): Promise<Runtime> {
  const o = initOptions(options);
  const asked = requestedThreads(o.threads);
  const runtime =
    asked === 1
      ? new Runtime(await createBackend(o))
      : asked === 0
        ? ((await defaultThreadedRuntime(o, HOST)) ?? new Runtime(await createBackend(o)))
        : await threadedRuntime(o, asked);
  if (runtime.holder) collected?.register(runtime, runtime.holder);
  if (o.setDefault !== false) defaultRuntime = runtime;
  return runtime;
}

const INIT_KEYS = ['backend', 'simd', 'module', 'bytes', 'url', 'setDefault', 'initialPages', 'maximumPages', 'threads'] as const;

/** The options, read once and checked before anything is loaded. */
function initOptions(options: unknown): InitOptions {
  let o: InitOptions;
  try {
    o = readOptions(options, 'init', INIT_KEYS, '{ backend, simd, module, bytes, url, setDefault, initialPages, maximumPages, threads }') as InitOptions;
  } catch (e) {
    // init's errors are InitErrors (a SimdnetError like the rest)
    throw e instanceof SimdnetError ? new InitError(e.message, { cause: e }) : e;
  }
  for (const key of ['simd', 'setDefault'] as const) {
    if (o[key] !== undefined && typeof o[key] !== 'boolean') throw new InitError(`init: ${key}: expected true or false, got ${describe(o[key])}`);
  }
  if (o.module !== undefined && !(typeof WebAssembly === 'object' && o.module instanceof WebAssembly.Module)) {
    throw new InitError(`init: module: expected a WebAssembly.Module (e.g. import wasm from 'simdnet/simd.wasm'), got ${describe(o.module)}`);
  }
  if (o.bytes !== undefined && !(o.bytes instanceof ArrayBuffer || ArrayBuffer.isView(o.bytes))) {
    throw new InitError(`init: bytes: expected an ArrayBuffer or a typed array with a .wasm file's bytes, got ${describe(o.bytes)}`);
  }
  if (o.url !== undefined && typeof o.url !== 'string' && !(typeof URL === 'function' && o.url instanceof URL)) {
    throw new InitError(`init: url: expected a string or a URL, got ${describe(o.url)}`);
  }
  const sources = (['module', 'bytes', 'url'] as const).filter((k) => o[k] !== undefined);
  if (sources.length > 1) throw new InitError(`init: expected at most one of module, bytes and url, got ${sources.join(' and ')}`);
  if (o.backend === 'js' && sources.length > 0) throw new InitError(`init: ${sources[0]}: a Wasm module is not used by backend 'js'; remove it or use backend 'wasm'`);
  if (o.simd !== undefined && sources.length > 0) throw new InitError(`init: simd: applies to the bundled builds only, not to a given ${sources[0]}`);
  return o;
}

/** The runtime set by the last `init()`. */
export function defaultRuntimeOrThrow(): Runtime {
  if (!defaultRuntime) {
    throw new StateError('simdnet is not initialised: call `await init()` (or pass `runtime`) before creating a network');
  }
  return defaultRuntime;
}

/** A runtime on more threads than one where this runtime allows them (the code for them is loaded only now), else on one with a note. */
async function threadedRuntime(o: InitOptions, asked: number | 'auto'): Promise<Runtime> {
  checkPages(o);
  let threads;
  try {
    threads = await loadThreads();
  } catch (e) {
    const single = new Runtime(await createBackend(o));
    single.note = `1 thread: ${(e as Error).message}`;
    return single;
  }
  return threads.threadedRuntime(asked, o, HOST);
}

/** What the threads code borrows from the core (see ThreadsHost in src/threads/open.ts). */
const HOST = { Runtime, createBackend, loading, compileUrl, instantiateKernels, memoryOptions, useSimd };

function memoryOptions(options: InitOptions): MemoryOptions {
  const memory: MemoryOptions = {};
  if (options.initialPages !== undefined) memory.initialPages = options.initialPages;
  if (options.maximumPages !== undefined) memory.maximumPages = options.maximumPages;
  checkPages(options);
  return memory;
}

async function createBackend(options: InitOptions): Promise<Backend> {
  const memory = memoryOptions(options);
  // undefined is the default; null is a value given (refused below), not a request for it
  const backend = options.backend === undefined ? 'wasm' : options.backend;
  // loaded on demand: a bundle that splits (the ESM builds) keeps the pure-JS
  // kernels out of the core chunk, which serves Wasm
  if (backend === 'js') return (await import('./backend/js/index.js')).createJsBackend(memory);
  if (backend !== 'wasm') {
    throw new InitError(`init: backend: expected 'wasm' or 'js', got ${describe(backend)}`);
  }
  if (typeof WebAssembly !== 'object') {
    throw new InitError("init: this runtime has no WebAssembly; use init({ backend: 'js' })");
  }
  if (options.module) return instantiateKernels(options.module as WebAssembly.Module, memory);
  if (options.bytes) return instantiateKernels(await loading('bytes', 'are no WebAssembly module', () => compileBytes(toBytes(options.bytes!))), memory);
  const file = useSimd(options) ? 'simd.wasm' : 'scalar.wasm';
  const url = options.url;
  const module = url === undefined
    ? await loading('simd', `the bundled ${file} could not be loaded`, () => compileBundled(file))
    : await loading('url', `${describe(String(url))} could not be loaded as a WebAssembly module`, () => compileUrl(url));
  return instantiateKernels(module, memory);
}

/** Whether to load the SIMD build: where supported, unless simd: false (simd: true where it is not: an InitError). */
function useSimd(options: InitOptions): boolean {
  const simd = simdSupported();
  if (options.simd === true && !simd) throw new InitError('init: simd: true was requested, but this runtime does not support Wasm SIMD');
  return options.simd !== false && simd;
}

/** Compiling from bytes or a URL fails with the engine's or the file system's error: an InitError naming the option instead. */
async function loading(option: string, what: string, compile: () => Promise<WebAssembly.Module>): Promise<WebAssembly.Module> {
  try {
    return await compile();
  } catch (e) {
    if (e instanceof SimdnetError) throw e;
    const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    throw new InitError(`init: ${option}: ${what} (${text.length > 120 ? `${text.slice(0, 120)}…` : text})`, { cause: e });
  }
}

function checkPages(options: InitOptions): void {
  for (const key of ['initialPages', 'maximumPages'] as const) {
    const v = options[key];
    if (v !== undefined && (!Number.isInteger(v) || v < 1 || v > 65536)) {
      throw new InitError(`init: ${key}: expected an integer from 1 to 65536, got ${typeof v === 'number' ? String(v) : describe(v)}`);
    }
  }
  const { initialPages, maximumPages } = options;
  if (initialPages !== undefined && maximumPages !== undefined && initialPages > maximumPages) {
    throw new InitError(`init: initialPages: expected at most maximumPages (${maximumPages}), got ${initialPages}`);
  }
}

function toBytes(bytes: ArrayBuffer | ArrayBufferView): Uint8Array {
  return bytes instanceof ArrayBuffer
    ? new Uint8Array(bytes)
    : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
