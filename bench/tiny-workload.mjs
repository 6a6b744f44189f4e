// The worked example's training workload, shared by bench/tiny.mjs and the
// processes it starts (bench/tiny-train.mjs): a new 2-3-1 network (ReLU hidden
// layer, sigmoid output), its weights set, a new Trainer (BCE, SGD lr 0.5,
// full batch, no shuffling) and 1000 epochs on 6 rows; and the same math
// written by hand in plain JS.

export const ARTICLE = [
  { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
  { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
];
export const ROWS = [[0.5, 0.6], [0.9, 0.8], [0.1, 0.2], [0.3, 0.9], [0.8, 0.3], [0.2, 0.1]];
export const LABELS = [1, 1, 0, 1, 0, 0];
export const EPOCHS = 1000;
export const LR = 0.5;
const Y = LABELS.map((v) => [v]);

/** One repetition of simdnet's side: everything from `new Network` to the fit's last loss; nothing disposed (the network goes when collected), as a user's loop leaves it. */
export function freshFit(lib, runtime) {
  return () => {
    const net = new lib.Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], runtime });
    net.setWeights(ARTICLE);
    const t = new lib.Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', lr: LR }, batchSize: ROWS.length, shuffle: false });
    return t.fit(ROWS, Y, { epochs: EPOCHS }).loss[EPOCHS - 1];
  };
}

/** Whether a final loss matches the hand-written loop's (float64) within float32 drift. */
export function sameLoss(loss, hand) {
  return Math.abs(loss - hand) <= 1e-3 * hand + 1e-5;
}

/** Hand-written full-batch gradient descent on the 6 rows (Float64Array state, set up each call); returns the last epoch's loss. */
export function handTrain(epochs) {
  const W1 = new Float64Array(6), b1 = new Float64Array(3), W2 = new Float64Array(3), b2 = new Float64Array(1);
  ARTICLE[0].W.forEach((r, i) => r.forEach((v, j) => (W1[i * 3 + j] = v)));
  ARTICLE[0].b.forEach((v, j) => (b1[j] = v));
  ARTICLE[1].W.forEach((r, i) => (W2[i] = r[0]));
  b2[0] = ARTICLE[1].b[0];
  const n = ROWS.length;
  const x = Float64Array.from(ROWS.flat()), y = Float64Array.from(LABELS);
  const dW1 = new Float64Array(6), db1 = new Float64Array(3), dW2 = new Float64Array(3), h = new Float64Array(3), z = new Float64Array(3);
  let loss = 0;
  for (let e = 0; e < epochs; e++) {
    dW1.fill(0); db1.fill(0); dW2.fill(0);
    let db2 = 0;
    loss = 0;
    for (let r = 0; r < n; r++) {
      const x0 = x[2 * r], x1 = x[2 * r + 1];
      let o = b2[0];
      for (let j = 0; j < 3; j++) {
        z[j] = x0 * W1[j] + x1 * W1[3 + j] + b1[j];
        h[j] = z[j] > 0 ? z[j] : 0;
        o += h[j] * W2[j];
      }
      const p = 1 / (1 + Math.exp(-o));
      loss += Math.max(o, 0) - o * y[r] + Math.log1p(Math.exp(-Math.abs(o)));
      const d = (p - y[r]) / n;
      db2 += d;
      for (let j = 0; j < 3; j++) {
        dW2[j] += h[j] * d;
        const dz = z[j] > 0 ? d * W2[j] : 0;
        db1[j] += dz;
        dW1[j] += x0 * dz;
        dW1[3 + j] += x1 * dz;
      }
    }
    loss /= n;
    for (let i = 0; i < 6; i++) W1[i] -= LR * dW1[i];
    for (let j = 0; j < 3; j++) { b1[j] -= LR * db1[j]; W2[j] -= LR * dW2[j]; }
    b2[0] -= LR * db2;
  }
  return loss;
}
