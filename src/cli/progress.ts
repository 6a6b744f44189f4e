/**
 * Training progress on stderr: a bar redrawn in place on a terminal, plain
 * lines (every 10th epoch and the last) otherwise, so logs stay readable.
 */

import type { EpochInfo, History } from '../index.js';
import { short } from './format.js';
import type { Stream } from './io.js';

/** Receives every epoch, then the end of training. */
export interface Progress {
  epoch(info: EpochInfo): void;
  /** Training returned: the last line and a summary. */
  finish(history: History, seconds: number): void;
  /** Training failed: leave the terminal on a fresh line so the error reads cleanly. */
  abort(): void;
}

/** 'bar' on a terminal, 'lines' in a log or pipe, 'off' for none. */
export type ProgressMode = 'bar' | 'lines' | 'off';

/** Plain-lines mode prints every this many epochs (and the last). */
export const LINE_EVERY = 10;
// A terminal redraw per epoch would cost more than a small model's epoch.
const REDRAW_MS = 80;
const BAR_WIDTH = 24;

/** The numbers of one epoch: `loss 0.1234  val_loss 0.1456  val_acc 0.933`. */
export function epochSummary(info: { loss: number; valLoss?: number; valAccuracy?: number; valMae?: number }): string {
  const parts = [`loss ${short(info.loss)}`];
  if (info.valLoss !== undefined) parts.push(`val_loss ${short(info.valLoss)}`);
  if (info.valAccuracy !== undefined) parts.push(`val_acc ${info.valAccuracy.toFixed(3)}`);
  if (info.valMae !== undefined) parts.push(`val_mae ${short(info.valMae)}`);
  return parts.join('  ');
}

function epochOf(h: History, epoch: number): EpochInfo {
  const info: EpochInfo = { epoch, epochs: h.epochs, loss: h.loss[epoch - 1] ?? NaN, lr: h.lr[epoch - 1] ?? NaN };
  if (h.valLoss.length > 0) info.valLoss = h.valLoss[epoch - 1];
  if (h.valAccuracy.length > 0) info.valAccuracy = h.valAccuracy[epoch - 1];
  if (h.valMae.length > 0) info.valMae = h.valMae[epoch - 1];
  return info;
}

function stopText(h: History): string {
  switch (h.stopReason) {
    case 'early-stopping': return 'early stopping';
    case 'epochs': return 'epoch limit';
    case 'callback': return 'stopped by callback';
    case 'aborted': return 'aborted';
  }
}

/** The line printed when training ends, in every mode but 'off'. */
function summaryLine(h: History, seconds: number): string {
  const best = epochOf(h, h.bestEpoch);
  return `trained ${h.epochs} epoch${h.epochs === 1 ? '' : 's'} in ${seconds.toFixed(1)} s (${stopText(h)}); best epoch ${h.bestEpoch}: ${epochSummary(best)}\n`;
}

/** A progress display writing to `stream`. */
export function createProgress(stream: Stream, mode: ProgressMode): Progress {
  if (mode === 'off') return { epoch() {}, finish() {}, abort() {} };
  if (mode === 'lines') {
    let lastPrinted = 0;
    let maxEpochs = 0;
    const line = (info: EpochInfo): void => {
      stream.write(`epoch ${info.epoch}/${info.epochs}  ${epochSummary(info)}\n`);
      lastPrinted = info.epoch;
    };
    return {
      epoch(info) {
        maxEpochs = info.epochs;
        if (info.epoch === 1 || info.epoch % LINE_EVERY === 0 || info.epoch === info.epochs) line(info);
      },
      finish(h, seconds) {
        // early stopping ends on an epoch the every-10th rule may have skipped
        if (h.epochs > 0 && lastPrinted !== h.epochs) line({ ...epochOf(h, h.epochs), epochs: maxEpochs });
        stream.write(summaryLine(h, seconds));
      },
      abort() {},
    };
  }
  let lastDraw = -Infinity;
  let drawn = false;
  let best = { epoch: 0, value: Infinity };
  const clear = (): void => {
    if (drawn) stream.write('\r\x1b[2K');
    drawn = false;
  };
  return {
    epoch(info) {
      const monitored = info.valLoss ?? info.loss;
      if (monitored < best.value) best = { epoch: info.epoch, value: monitored };
      const now = performance.now();
      if (now - lastDraw < REDRAW_MS && info.epoch !== info.epochs) return;
      lastDraw = now;
      const width = String(info.epochs).length;
      const head = `epoch ${String(info.epoch).padStart(width)}/${info.epochs}`;
      const tail = `${epochSummary(info)}  best ${best.epoch}`;
      // a line longer than the terminal wraps, and \r would then redraw only its
      // tail: the bar gives way first, then the end of the numbers
      const columns = stream.columns || 80; // 0 on a terminal that reports no size
      const room = columns - 1 - head.length - tail.length - 2;
      const barWidth = Math.min(BAR_WIDTH, room);
      let text = head;
      if (barWidth >= 8) {
        const filled = Math.round((barWidth * info.epoch) / info.epochs);
        text += ` ${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}`;
      }
      text += ` ${tail}`;
      if ([...text].length > columns - 1) text = [...text].slice(0, Math.max(0, columns - 1)).join('');
      stream.write(`\r\x1b[2K${text}`);
      drawn = true;
    },
    finish(h, seconds) {
      clear();
      stream.write(summaryLine(h, seconds));
    },
    abort() {
      clear();
    },
  };
}
