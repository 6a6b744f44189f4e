/**
 * The harness of the reliability battery (test/reliability/). An entry point
 * is described once (its clean arguments, the slots a caller can spoil, how to
 * call it, what state it owns); each generated case spoils one or two slots
 * with hostile variants (test/support/hostile.ts) and checks the property:
 *
 *   a correct result, or an error of a SimdnetError subclass whose message
 *   names the argument — and either way the network, the caller's arrays and
 *   the heap (runtime.liveBytes) unchanged, except where changing them is
 *   the call's purpose.
 *
 * "Correct" is checked twice: against the same call with the plain arguments
 * the hostile ones stand for (bit for bit), and by the entry's own independent
 * reference (float64 forward pass, the JS backend, recomputed statistics).
 */
import { appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { MemoryError, Network, SimdnetError, TrainingError, type Runtime } from '../../src/index.js';
import { Model } from '../../src/csv.js';
import { copyTree, NONE, OMIT, type Variant } from './hostile.js';
import { snapshot, weightBits } from './snapshot.js';

export type Path = readonly (string | number)[];

export interface Mutation {
  path: Path;
  variant: Variant;
}

export interface Slot {
  path: Path;
  variants: fc.Arbitrary<Variant>;
}

/** What the battery needs to know about one entry point. */
export interface Entry<C, E> {
  /** The clean, valid arguments (and what the setup needs). */
  clean: fc.Arbitrary<C>;
  args(c: C): unknown[];
  /** Where a caller can go wrong, with what it might pass there. */
  slots(c: C): Slot[];
  /** How errors name each argument (path[0]), and the prefix of its keys' names ('' when they are named bare). */
  argNames: readonly string[];
  keyPrefix?: readonly string[];
  /** Names an error may give for a mutation at `path` besides the path's own, its ancestors' and descendants' (arguments checked against each other). */
  coupled?(path: Path, c: C): Array<string | RegExp>;
  /** A MemoryError (naming the bytes needed and the limit) may answer a mutation at `path`: a size too large for memory. */
  memoryAt?(path: Path): boolean;
  /** The token of a message that names the argument (default: up to the first ': '). */
  token?(message: string): string;
  /** Fresh state for one call (networks, trainers). */
  setup(c: C): E;
  call(env: E, args: unknown[]): unknown;
  /** Whether the plain twin runs on the same state (calls that must not change it) or on a fresh one. */
  sharedState?: boolean;
  /** A successful call may change the state (its purpose): it is then compared with the twin's. */
  changesState?: boolean;
  /** A TrainingError can answer meaningful input (fit): the twin must give the same one. */
  trains?: boolean;
  state(env: E): unknown;
  runtimes(env: E): Runtime[];
  /** Argument indices a successful call writes (predictInto's out): checked by `verify`, not by the snapshot. */
  writes?: readonly number[];
  /** Throws unless the two results are the same (default: expectSame). */
  same?(hostile: unknown, plain: unknown): void;
  /** Checks a successful call against an independent reference. */
  verify?(env: E, args: unknown[], result: unknown, c: C): void;
  /** Gives back what a successful call allocated (networks it made). */
  release?(result: unknown): void;
  teardown?(env: E): void;
  /** After a refusal: a clean follow-up call on the refused call's state must equal one on a fresh twin. */
  followUp?(env: E, twin: E, c: C): void | Promise<void>;
}

/**
 * An argument that exists only once the call's state does (the network of a
 * Trainer or of evaluate): variants make a Deferred, and the harness resolves
 * it against the hostile call's state or the plain twin's.
 */
export class Deferred<E = never> {
  constructor(readonly resolve: (env: E) => unknown) {}
}

const resolveArgs = <E>(args: unknown[], env: E): unknown[] => args.map((a) => (isInstance(a, Deferred) ? (a as Deferred<E>).resolve(env) : a));

/** instanceof that answers false for a revoked Proxy (where instanceof throws). */
export function isInstance(v: unknown, c: abstract new (...args: never[]) => unknown): boolean {
  try {
    return v instanceof c;
  } catch {
    return false;
  }
}

export interface Case<C> {
  clean: C;
  mutations: Mutation[];
}

/** Cases of an entry point: its clean arguments with one slot (or, a quarter of the time, two) spoiled. */
export function casesOf<C, E>(entry: Entry<C, E>): fc.Arbitrary<Case<C>> {
  return entry.clean.chain((clean) => {
    const slots = entry.slots(clean);
    const one = fc.nat(slots.length - 1).map((i) => [i]);
    const two = fc.uniqueArray(fc.nat(slots.length - 1), { minLength: 2, maxLength: 2 })
      .map((ix) => (nested(slots[ix[0]!]!.path, slots[ix[1]!]!.path) ? [ix[0]!] : ix));
    const which = slots.length < 2 ? one : fc.oneof({ arbitrary: one, weight: 3 }, { arbitrary: two, weight: 1 });
    return which.chain((ix) =>
      fc.tuple(...ix.map((i) => slots[i]!.variants)).map((variants) => ({
        clean,
        mutations: ix.map((i, k) => ({ path: slots[i]!.path, variant: variants[k]! })),
      })));
  });
}

function nested(a: Path, b: Path): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n).every((k, i) => k === b[i]);
}

/** The arguments with every mutation applied: the hostile values, or the plain ones they stand for. */
export function build(args: readonly unknown[], mutations: readonly Mutation[], side: 'hostile' | 'plain'): unknown[] {
  const root = copyTree(args.slice());
  for (const m of mutations) {
    const value = side === 'hostile' ? m.variant.make() : m.variant.plain();
    let parent: Record<string | number, unknown> = root as unknown as Record<string, unknown>;
    for (const k of m.path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>;
    const key = m.path[m.path.length - 1]!;
    if (value === OMIT) delete parent[key];
    else parent[key] = value;
  }
  return root;
}

/** The name a message gives for `path`, as the library writes it: 'layers[0].units', 'optimizer.lr', 'validation.x'. */
export function displayName(path: Path, argNames: readonly string[], keyPrefix?: readonly string[]): string {
  const arg = path[0] as number;
  if (path.length === 1) return argNames[arg]!;
  let s = keyPrefix?.[arg] ?? argNames[arg]!;
  for (const k of path.slice(1)) s = typeof k === 'number' ? `${s}[${k}]` : s === '' ? k : `${s}.${k}`;
  return s;
}

function pathsUnder(value: unknown, path: Path, out: Path[] = []): Path[] {
  out.push(path);
  if (Array.isArray(value)) value.forEach((v, i) => pathsUnder(v, [...path, i], out));
  else if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    for (const [k, v] of Object.entries(value)) pathsUnder(v, [...path, k], out);
  }
  return out;
}

/** The names an error may give for these mutations. */
export function allowedNames<C, E>(entry: Entry<C, E>, c: C, mutations: readonly Mutation[]): Array<string | RegExp> {
  const args = entry.args(c);
  const names: Array<string | RegExp> = [];
  const show = (p: Path) => displayName(p, entry.argNames, entry.keyPrefix);
  for (const { path } of mutations) {
    for (let n = 1; n <= path.length; n++) names.push(show(path.slice(0, n)));
    let value: unknown = args;
    for (const k of path) value = (value as Record<string | number, unknown> | undefined)?.[k];
    for (const p of pathsUnder(value, path)) names.push(show(p));
    const own = show(path);
    names.push(new RegExp(`^${escape(own)}[.[]`));
    names.push(...(entry.coupled?.(path, c) ?? []));
  }
  return names;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export function defaultToken(message: string): string {
  const i = message.indexOf(': ');
  return i < 0 ? message : message.slice(0, i);
}

function named(message: string, allowed: ReadonlyArray<string | RegExp>, token: (m: string) => string): boolean {
  const t = token(message);
  return allowed.some((a) => (typeof a === 'string' ? a === t : a.test(t)));
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function outcomeOf(f: () => unknown): Promise<Outcome> {
  try {
    return { ok: true, value: await f() };
  } catch (error) {
    return { ok: false, error };
  }
}

const describeCase = (mutations: readonly Mutation[]) =>
  mutations.map((m) => `${m.path.join('.')} ← ${m.variant.label}`).join('; ');

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}

/** Deep equality with numbers compared by bits (Object.is, any NaN equal to any NaN); typed arrays and arrays alike are sequences. */
export function expectSame(a: unknown, b: unknown, where = 'result'): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (!(Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b)))) throw new Error(`${where}: ${a} ≠ ${b}`);
    return;
  }
  const seq = (v: unknown): v is ArrayLike<unknown> => Array.isArray(v) || (ArrayBuffer.isView(v) && !(v instanceof DataView));
  if (seq(a) && seq(b)) {
    if (a.length !== b.length) throw new Error(`${where}: length ${a.length} ≠ ${b.length}`);
    for (let i = 0; i < a.length; i++) expectSame(a[i], b[i], `${where}[${i}]`);
    return;
  }
  if (isInstance(a, Network) && isInstance(b, Network)) {
    expectSame(comparable(a), comparable(b), `${where} (network)`);
    return;
  }
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    if (ka.join() !== kb.join()) throw new Error(`${where}: keys ${ka.join()} ≠ ${kb.join()}`);
    for (const k of ka) expectSame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${where}.${k}`);
    return;
  }
  if (!Object.is(a, b)) throw new Error(`${where}: ${String(a)} ≠ ${String(b)}`);
}

function expectUnchanged(before: unknown, after: unknown, what: string): void {
  try {
    expectSame(before, after, what);
  } catch (e) {
    throw new Error(`${what} changed: ${(e as Error).message}`);
  }
}

const live = (rts: Runtime[]) => rts.map((r) => r.liveBytes);

/**
 * The property for one case. Throws (failing the property) with a message
 * saying which slot got which variant and what went wrong.
 */
export async function checkCase<C, E>(entry: Entry<C, E>, kase: Case<C>): Promise<void> {
  const { clean, mutations } = kase;
  const meaningless = mutations.some((m) => m.variant.plain() === NONE);
  const accepted = mutations.every((m) => m.variant.accepted);
  const allowed = allowedNames(entry, clean, mutations);
  const token = entry.token ?? defaultToken;
  const fail = (what: string): never => {
    throw new Error(`${describeCase(mutations)}: ${what}`);
  };
  const checkRefusal = (e: unknown, side: string): void => {
    if (!(e instanceof SimdnetError)) fail(`${side} call threw ${errorText(e)}, not a SimdnetError`);
    const err = e as SimdnetError;
    if (err instanceof MemoryError && mutations.some((m) => entry.memoryAt?.(m.path)) && /needs [\d.e+]+ more bytes/.test(err.message)) return;
    if (err instanceof TrainingError && entry.trains && !meaningless) return; // compared with the twin below
    if (!named(err.message, allowed, token)) fail(`${side} call's ${err.name} does not name the argument (one of ${allowed.map(String).join(', ')}): ${err.message}`);
  };

  const env = entry.setup(clean);
  const hasTwin = !meaningless;
  const twin = !hasTwin || entry.sharedState ? env : entry.setup(clean);
  try {
    const hostileArgs = resolveArgs(build(entry.args(clean), mutations, 'hostile'), env);
    const writes = new Set(entry.writes ?? []);
    const argsBefore = snapshot(hostileArgs.map((a, i) => (writes.has(i) ? null : a)));
    const writtenBefore = snapshot(hostileArgs);
    const stateBefore = entry.state(env);
    const heapBefore = live(entry.runtimes(env));
    const h = await outcomeOf(() => entry.call(env, hostileArgs));
    if (h.ok) {
      if (meaningless) fail(`accepted a value that means nothing (it should be refused), returned ${String(h.value).slice(0, 60)}`);
      expectUnchanged(argsBefore, snapshot(hostileArgs.map((a, i) => (writes.has(i) ? null : a))), "the caller's arguments");
      if (!entry.changesState) expectUnchanged(stateBefore, entry.state(env), 'the network');
    } else {
      checkRefusal(h.error, 'the hostile');
      if (!(h.error instanceof TrainingError)) {
        expectUnchanged(writtenBefore, snapshot(hostileArgs), "the caller's arguments (after a refusal)");
        expectUnchanged(stateBefore, entry.state(env), 'the network (after a refusal)');
      }
    }
    // what the result holds, kept for the comparison below: releasing it (disposing a network it made) comes first
    const hostileResult = h.ok ? comparable(h.value) : undefined;
    if (h.ok) entry.release?.(h.value);
    expectUnchanged(heapBefore, live(entry.runtimes(env)), 'runtime.liveBytes');
    if (!hasTwin) return;

    const plainArgs = resolveArgs(build(entry.args(clean), mutations, 'plain'), twin);
    const p = await outcomeOf(() => entry.call(twin, plainArgs));
    if (!p.ok) {
      checkRefusal(p.error, 'the plain');
      if (h.ok) return fail(`the hostile call succeeded where the plain one was refused (${errorText(p.error)})`);
      const he = h.error as Error;
      const pe = p.error as Error;
      if (accepted && he.name !== pe.name) fail(`the hostile call threw ${errorText(he)}, the plain one ${errorText(pe)}`);
      if (pe instanceof TrainingError) {
        if (!(he instanceof TrainingError) || he.message !== pe.message) fail(`training stopped differently: ${errorText(he)} vs ${errorText(pe)}`);
        expectUnchanged(entry.state(twin), entry.state(env), 'the network after the same TrainingError');
      }
    } else {
      if (!h.ok) {
        if (accepted) fail(`refused a form the library takes: ${errorText(h.error)}`);
      } else {
        try {
          (entry.same ?? expectSame)(hostileResult, comparable(p.value));
        } catch (e) {
          fail(`the result differs from the plain call's: ${(e as Error).message}`);
        }
        if (entry.changesState) expectUnchanged(entry.state(twin), entry.state(env), 'the network (against the plain call)');
      }
      try {
        entry.verify?.(twin, plainArgs, p.value, clean);
      } catch (e) {
        fail(`the plain call's result is wrong: ${(e as Error).message}`);
      }
      entry.release?.(p.value);
    }
    if (!h.ok && !(h.error instanceof TrainingError) && entry.followUp && twin !== env) {
      const fresh = entry.setup(clean);
      try {
        await entry.followUp(env, fresh, clean);
      } finally {
        entry.teardown?.(fresh);
      }
    }
  } finally {
    entry.teardown?.(env);
    if (twin !== env) entry.teardown?.(twin);
  }
}

/** A result with every Network in it replaced by what it holds (its saved form and weight bits), so it can be compared after disposal. */
function comparable(v: unknown): unknown {
  if (isInstance(v, Network)) {
    const net = v as Network;
    return net.disposed ? { disposedNetwork: true } : { network: JSON.parse(JSON.stringify(net.toJSON())), bits: weightBits(net) };
  }
  if (isInstance(v, Model)) {
    const model = v as Model;
    return { model: comparable(model.network), preprocessor: model.preprocessor ? model.preprocessor.toJSON() : null };
  }
  if (Array.isArray(v)) return v.map(comparable);
  if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, comparable(x)]));
  }
  return v;
}

/** The fixed seed of every property in the battery: a failure is reproduced by running the same file again. */
export const SEED = 0x5eed_2026;

/** BATTERY_TRACE=1 appends every case and its time here (vitest holds back a worker's stderr until the file ends). */
const TRACE_FILE = join(tmpdir(), 'simdnet-battery-trace.log');

/** Runs `runs` cases of an entry point (times BATTERY_RUNS, for a longer search by hand). */
export async function battery<C, E>(entry: Entry<C, E>, runs: number): Promise<void> {
  runs = Math.round(runs * Number(process.env.BATTERY_RUNS ?? 1));
  const trace = process.env.BATTERY_TRACE === '1';
  // BATTERY_SURVEY=1: every failure is listed (once per kind) instead of stopping at the first, for triage
  const survey = process.env.BATTERY_SURVEY === '1';
  const seen = new Map<string, string>();
  await fc.assert(fc.asyncProperty(casesOf(entry), async (kase) => {
    const t0 = performance.now();
    if (trace) appendFileSync(TRACE_FILE, `case: ${kase.mutations.map((m) => `${m.path.join('.')} ← ${m.variant.label}`).join('; ')}\n`);
    try {
      await checkCase(entry, kase);
    } catch (e) {
      if (!survey) throw e;
      const text = (e as Error).message;
      const kind = text.slice(text.indexOf(': ') + 2).replace(/\d+/g, '#').slice(0, 160);
      if (!seen.has(kind)) seen.set(kind, text);
    }
    if (trace) appendFileSync(TRACE_FILE, `  ${(performance.now() - t0).toFixed(1)} ms\n`);
  }), { seed: SEED, numRuns: runs, endOnFailure: true });
  if (survey && seen.size > 0) {
    process.stderr.write(`\n${seen.size} kinds of failure:\n${[...seen.values()].map((t) => `  - ${t.slice(0, 400)}`).join('\n')}\n`);
  }
}
