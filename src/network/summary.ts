/**
 * `net.summary()`: the network as Keras's model.summary() prints it — one
 * line per layer with its output shape and parameter count, then the total —
 * plus what the network carries (scaling, classes, feature names).
 */

import type { ActivationName } from '../backend/abi.js';
import type { Scaler } from '../data/scaler.js';

/** What the summary reads from a network. */
export interface SummarySource {
  inputs: number;
  layers: ReadonlyArray<{ inputs: number; units: number; activation: ActivationName; alpha: number }>;
  runtime: { kind: string };
  scaler: Scaler | null;
  targetScaler: Scaler | null;
  classes: readonly string[] | null;
  featureNames: readonly string[] | null;
  targetName: string | null;
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function listed(names: readonly string[], most = 8): string {
  const shown = names.slice(0, most).join(', ');
  return names.length > most ? `${shown}, … (${names.length})` : shown;
}

export function summaryText(net: SummarySource): string {
  const rows: string[][] = [['Layer', 'Output shape', 'Activation', 'Parameters']];
  rows.push(['input', `(batch, ${net.inputs})`, '', '0']);
  let total = 0;
  net.layers.forEach((l, i) => {
    const params = l.inputs * l.units + l.units;
    total += params;
    const activation = l.activation === 'leaky_relu' ? `leaky_relu (alpha ${l.alpha})` : l.activation;
    rows.push([`dense_${i + 1}`, `(batch, ${l.units})`, activation, thousands(params)]);
  });
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: readonly string[]): string =>
    r.map((cell, c) => (c === r.length - 1 ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('   ').trimEnd();
  const rule = '─'.repeat(widths.reduce((a, w) => a + w, 0) + 3 * (widths.length - 1));
  const out = [line(rows[0]!), rule, ...rows.slice(1).map(line), rule];
  out.push(`Total parameters: ${thousands(total)} (${thousands(total * 4)} bytes as float32), all trainable`);
  const scaling = (s: Scaler | null): string => (s ? `${s.kind} scaling` : 'not scaled');
  out.push(`Inputs: ${net.inputs} feature${net.inputs === 1 ? '' : 's'}${net.featureNames ? ` (${listed(net.featureNames)})` : ''}; ${scaling(net.scaler)}`);
  const target = net.targetName ? ` of '${net.targetName}'` : '';
  if (net.classes) out.push(`Outputs: ${net.classes.length} classes${target} (${listed(net.classes)})`);
  else {
    const last = net.layers[net.layers.length - 1]!;
    out.push(`Outputs: ${last.units} value${last.units === 1 ? '' : 's'}${target}; ${net.targetScaler ? `trained on targets in ${scaling(net.targetScaler)}` : 'targets not scaled'}`);
  }
  out.push(`Backend: ${net.runtime.kind}`);
  return out.join('\n');
}
