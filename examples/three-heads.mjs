// The three heads of the student problem, on one table
// (examples/data/student-grades.csv): the same two inputs — hours studied and
// attendance — and three questions:
//   pass/fail      → 1 sigmoid unit,   binary cross-entropy
//   grade A–F      → 5 softmax units,  categorical cross-entropy
//   score 0–100    → 1 linear unit,    mean squared error
// Each is the whole pipeline: stratified 80/10/10 split, scaling fitted on the
// training rows, early stopping on the validation loss, test metrics.
// Run: node examples/three-heads.mjs   (after npm install)
import { readFileSync } from 'node:fs';
import { init, trainModel } from 'simdnet';
import { parseCsv } from 'simdnet/csv';

await init();
const text = readFileSync(new URL('./data/student-grades.csv', import.meta.url), 'utf8');
const features = ['hours_studied', 'attendance'];
const heads = [
  { target: 'passed', task: 'binary', question: 'pass or fail?' },
  { target: 'grade', task: 'multiclass', question: 'which grade, A–F?' },
  { target: 'score', task: 'regression', question: 'what score, 0–100?' },
];

for (const head of heads) {
  const data = parseCsv(text, { target: head.target, features, task: head.task });
  const { network, history, test } = trainModel(data, { hidden: [16, 8], seed: 1 });
  const out = network.layers.at(-1);
  console.log(`\n${head.question}  (target '${head.target}', output: ${out.units} ${out.activation} unit${out.units > 1 ? 's' : ''})`);
  console.log(`  trained ${history.epochs} epochs, best validation loss at epoch ${history.bestEpoch}`);
  if (test.task === 'regression') {
    console.log(`  test: MAE ${test.mae.toFixed(2)} points, RMSE ${Math.sqrt(test.mse).toFixed(2)}, R² ${test.r2.toFixed(3)}`);
  } else {
    console.log(`  test: accuracy ${test.accuracy.toFixed(3)}, macro F1 ${test.macro.f1.toFixed(3)}`);
    console.log(`  confusion matrix (rows: true, columns: predicted), labels ${test.classes.join(' ')}:`);
    for (const [i, row] of test.confusion.entries()) console.log(`    ${test.classes[i].padStart(2)}  ${row.map((n) => String(n).padStart(3)).join(' ')}`);
  }
  const x = [[8, 0.9], [2, 0.6]];
  const p = network.predict(x);
  const say = (row) =>
    test.task === 'regression' ? row[0].toFixed(1)
      : test.task === 'binary' ? `${network.classes[row[0] > 0.5 ? 1 : 0]} (p = ${row[0].toFixed(2)})`
        : network.classes[row.indexOf(Math.max(...row))];
  console.log(`  a student with 8 h and 90% attendance → ${say(p[0])}; 2 h and 60% → ${say(p[1])}`);
  network.dispose();
}
