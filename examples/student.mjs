// The worked example: a 2-3-1 network (ReLU hidden, sigmoid output) that
// predicts whether a student passes from study hours and attendance.
//   1. the forward pass for x = [0.5, 0.6], layer by layer
//   2. one training step (BCE, SGD, lr 0.5): gradients and updated weights
//   3. training on 400 students, and the test accuracy
// Run: npm run example   (after npm install)
import { readFileSync } from 'node:fs';
import { init, Network, Trainer, split, Scaler } from 'simdnet';
import { parseCsv } from 'simdnet/csv';

const runtime = await init();
console.log(`simdnet backend: ${runtime.kind}\n`);

const fmt = (v, d = 4) => (v < 0 ? '' : ' ') + v.toFixed(d);
const row = (arr, d) => arr.map((v) => fmt(v, d)).join('  ');

// The worked example's weights: W1[i][j] from input i to hidden unit j.
const workedWeights = [
  { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
  { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
];
const net = new Network({
  inputs: 2,
  layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }],
});
net.setWeights(workedWeights);

console.log('1. Forward pass, x = [0.5, 0.6] (hours, attendance, scaled to [0, 1]), target: pass (1)');
const t = net.trace([[0.5, 0.6]], [[1]], { loss: 'bce' });
const [hidden, out] = t.layers;
console.log(`   hidden pre-activations z1 = x·W1 + b1 : ${hidden.z[0].map((v) => fmt(v, Math.abs(v) < 0.1 ? 3 : 4)).join('  ')}`);
console.log(`   hidden activations a1 = relu(z1)      : ${row(hidden.a[0], 4)}`);
console.log(`   output logit z2 = a1·W2 + b2          : ${row(out.z[0], 4)}`);
console.log(`   prediction sigmoid(z2)                : ${fmt(out.a[0][0], 3)}  (${out.a[0][0].toFixed(5)}) → ${out.a[0][0] > 0.5 ? 'pass' : 'fail'}`);
console.log(`   loss (binary cross-entropy)           : ${fmt(t.loss)}`);

console.log('\n2. One training step (backpropagation, SGD with learning rate 0.5)');
console.log(`   dL/dz2 = prediction − target          : ${row(out.dz[0], 4)}`);
console.log(`   dL/dW2 = a1ᵀ·dL/dz2                   : ${row(out.dW.map((r) => r[0]), 4)}`);
console.log(`   dL/db2                                : ${row(out.db, 4)}`);
console.log(`   dL/dz1 = (dL/dz2·W2ᵀ) ⊙ relu'(z1)     : ${row(hidden.dz[0], 4)}`);
console.log(`   dL/dW1 = xᵀ·dL/dz1                    : ${hidden.dW.map((r) => `[${row(r, 4)} ]`).join(' ')}`);
console.log(`   dL/db1                                : ${row(hidden.db, 4)}`);
new Trainer(net, { loss: 'bce', optimizer: { type: 'sgd', lr: 0.5 }, batchSize: 1, shuffle: false })
  .fit([[0.5, 0.6]], [[1]], { epochs: 1 });
const [w1, w2] = net.getWeights();
console.log(`   W1 ← W1 − 0.5·dL/dW1                  : ${w1.W.map((r) => `[${row(r, 4)} ]`).join(' ')}`);
console.log(`   b1 ← b1 − 0.5·dL/db1                  : ${row(w1.b, 4)}`);
console.log(`   W2 ← W2 − 0.5·dL/dW2                  : ${row(w2.W.map((r) => r[0]), 4)}`);
console.log(`   b2 ← b2 − 0.5·dL/db2                  : ${row(w2.b, 4)}`);
console.log(`   prediction after the step             : ${row(Array.from(net.predict([0.5, 0.6])), 4)}`);
net.dispose();

console.log('\n3. Training the 2-3-1 network on 400 students (examples/data/students.csv)');
const data = parseCsv(readFileSync(new URL('./data/students.csv', import.meta.url), 'utf8'));
const { train, validation, test } = split(data, { train: 0.8, validation: 0.1, test: 0.1, stratify: true, seed: 1 });
// min-max scaling fitted on the training rows only (the worked example's inputs are in [0, 1])
const scaler = Scaler.fit(train.x, train.rows, train.features, 'minmax');
const student = new Network({
  inputs: 2,
  layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }],
  seed: 3,
});
const trainer = new Trainer(student, { loss: 'bce', optimizer: { type: 'adam', lr: 0.05 }, batchSize: 16, seed: 1 });
const history = trainer.fit(scaler.transform(train.x, train.rows), train.y, { epochs: 150 });
const accuracy = (part) => {
  const p = student.predict(scaler.transform(part.x, part.rows));
  let right = 0;
  for (let i = 0; i < part.rows; i++) if ((p[i] > 0.5 ? 1 : 0) === part.y[i]) right++;
  return right / part.rows;
};
console.log(`   ${train.rows} training / ${validation.rows} validation / ${test.rows} test rows (stratified)`);
console.log(`   training loss: epoch 1 ${history.loss[0].toFixed(4)} → epoch ${history.loss.length} ${history.loss.at(-1).toFixed(4)}`);
console.log(`   accuracy: train ${accuracy(train).toFixed(3)}, validation ${accuracy(validation).toFixed(3)}, test ${accuracy(test).toFixed(3)}`);
console.log('   (the labels are noisy: the best possible rule is right on about 87.5% of rows)');
