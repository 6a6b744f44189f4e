/**
 * An independent float64 MLP (forward + loss), written from the textbook
 * formulas, for finite-difference gradient checks. Shares no code with src/.
 */
export interface RefLayer {
  W: number[][]; // inputs × outputs
  b: number[];
  activation: string;
  alpha: number;
}

/** One row through an activation, in float64 (softmax over the row). */
export function refActivation(name: string, z: number[], alpha: number): number[] {
  switch (name) {
    case 'relu': return z.map((v) => Math.max(v, 0));
    case 'leaky_relu': return z.map((v) => (v > 0 ? v : alpha * v));
    case 'sigmoid': return z.map((v) => 1 / (1 + Math.exp(-v)));
    case 'tanh': return z.map(Math.tanh);
    case 'softmax': {
      const m = Math.max(...z);
      const e = z.map((v) => Math.exp(v - m));
      const s = e.reduce((a, b) => a + b, 0);
      return e.map((v) => v / s);
    }
    default: return z.slice();
  }
}

export function refForward(layers: RefLayer[], x: number[][]): number[][] {
  return x.map((row) => {
    let a = row;
    for (const l of layers) {
      const z = l.b.map((bj, j) => a.reduce((s, ai, i) => s + ai * l.W[i]![j]!, bj));
      a = refActivation(l.activation, z, l.alpha);
    }
    return a;
  });
}

export function refLoss(layers: RefLayer[], x: number[][], y: number[][], loss: string): number {
  const out = refForward(layers, x);
  let s = 0;
  let n = 0;
  out.forEach((row, r) => {
    row.forEach((a, c) => {
      const t = y[r]![c]!;
      if (loss === 'bce') s -= t * Math.log(a) + (1 - t) * Math.log(1 - a);
      else if (loss === 'cce') s -= t * Math.log(a);
      else s += (a - t) ** 2;
      n++;
    });
  });
  return loss === 'cce' ? s / out.length : s / n;
}

/** Central-difference gradient of refLoss w.r.t. every W and b. */
export function refGradients(layers: RefLayer[], x: number[][], y: number[][], loss: string, h = 1e-6) {
  const fd = (get: () => number, set: (v: number) => void): number => {
    const v = get();
    set(v + h);
    const up = refLoss(layers, x, y, loss);
    set(v - h);
    const dn = refLoss(layers, x, y, loss);
    set(v);
    return (up - dn) / (2 * h);
  };
  return layers.map((l) => ({
    W: l.W.map((row) => row.map((_, j) => fd(() => row[j]!, (v) => { row[j] = v; }))),
    b: l.b.map((_, j) => fd(() => l.b[j]!, (v) => { l.b[j] = v; })),
  }));
}
