/**
 * Whether `simdnet train` reads the file whole or streams it: the training
 * rows in linear memory are the bulk of a large run. The command estimates
 * them before reading (rows from the file's size and the length of its
 * first lines, features from its columns: a lower bound, as categories and
 * gap indicators add features), so that a file far too large is never read
 * whole; and checks again with the encoded features once a file is read.
 */

import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { Runtime, TrainModelOptions } from '../index.js';
import { fitMemory } from '../pipeline/fit-memory.js';
import { DEFAULT_BATCH_SIZE, DEFAULT_HIDDEN } from '../pipeline/train-model.js';
import { count } from './format.js';

const PROBE_BYTES = 1 << 20;

/** Rows of a file estimated from its size and the length of its first lines; null when it is too short to tell (and small). */
export function estimateRows(path: string): number | null {
  let size: number;
  let probe: Uint8Array;
  try {
    size = statSync(path).size;
    probe = new Uint8Array(Math.min(size, PROBE_BYTES));
    const fd = openSync(path, 'r');
    try {
      readSync(fd, probe, 0, probe.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return null; // reading the file reports it
  }
  let lines = 0;
  for (const b of probe) if (b === 0x0a) lines++;
  return lines < 2 ? null : Math.floor((size / probe.length) * (lines - 1));
}

/**
 * Why the data must stream (a sentence naming the rows, the memory they
 * need and what is free), or null when its training rows fit in memory, or
 * when nothing would (the network alone is too large: training refuses it
 * by itself).
 * @param what - the data, e.g. 'data.csv: about 1,000 rows'.
 */
export function streamReason(what: string, rows: number, features: number, options: Pick<TrainModelOptions, 'hidden' | 'batchSize' | 'split'>, runtime: Runtime): string | null {
  const [train, validation, test] = options.split ?? [0.8, 0.1, 0.1];
  const trainRows = Math.floor(rows * train);
  const evalRows = [Math.ceil(rows * test), Math.ceil(rows * validation)];
  const hidden = options.hidden ?? DEFAULT_HIDDEN;
  const layers = [...hidden, 1].map((units, i, all) => ({ inputs: i === 0 ? features : all[i - 1]!, outputs: units }));
  const batchRows = Math.min(options.batchSize ?? DEFAULT_BATCH_SIZE, Math.max(1, trainRows));
  const backend = runtime.backend;
  const free = backend.maxBytes - backend.kernels.heap_base() - runtime.liveBytes;
  const whole = fitMemory(backend.kernels, layers, { trainRows, batchRows, evalRows });
  const streamed = fitMemory(backend.kernels, layers, { trainRows: 0, batchRows, evalRows });
  if (whole.bytes <= free || streamed.bytes > free) return null;
  const mib = (n: number) => `${(n / 2 ** 20).toFixed(1)} MiB`;
  return `${what}: ${count(trainRows)} training rows of ${features} features need ${mib(whole.bytes)} of Wasm memory to train in memory, over the ${mib(free)} free`;
}
