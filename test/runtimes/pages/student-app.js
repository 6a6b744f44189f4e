// The student problem in a browser, shared by the page that imports dist/
// directly and the apps that bundlers build from `import 'simdnet'`.
// Reports on window.__result (or window.__error) for the test to read.

const ARTICLE = [
  { W: [[0.82, 0.71, -0.45], [0.65, 0.89, 0.78]], b: [-0.5, -0.6, -0.3] },
  { W: [[0.85], [0.72], [-0.55]], b: [-0.2] },
];

export async function studentRun(simdnet, csv, csvUrl) {
  const { init, Network, Trainer, split, Scaler } = simdnet;
  const params = new URLSearchParams(location.search);
  const simd = params.get('simd') === '0' ? false : undefined;
  const violations = [];
  document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.violatedDirective}: ${e.blockedURI}`));

  const runtime = await init(simd === false ? { simd: false } : {});

  const worked = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }] });
  worked.setWeights(ARTICLE);
  const prediction = worked.predict([0.5, 0.6])[0];
  // the batch path (a Float32Array of rows) goes through the Wasm kernels
  const batchPrediction = worked.predict(new Float32Array([0.5, 0.6, 0.5, 0.6]))[1];
  worked.dispose();

  const data = csv.parseCsv(await (await fetch(csvUrl)).text());
  const { train, test } = split(data, { train: 0.8, validation: 0.1, test: 0.1, stratify: true, seed: 1 });
  const scaler = Scaler.fit(train.x, train.rows, train.features, 'minmax');
  const student = new Network({ inputs: 2, layers: [{ units: 3, activation: 'relu' }, { units: 1, activation: 'sigmoid' }], seed: 3 });
  const trainer = new Trainer(student, { loss: 'bce', optimizer: { type: 'adam', lr: 0.05 }, batchSize: 16, seed: 1 });
  const history = trainer.fit(scaler.transform(train.x, train.rows), train.y, { epochs: 150 });
  const p = student.predict(scaler.transform(test.x, test.rows));
  let right = 0;
  for (let i = 0; i < test.rows; i++) if ((p[i] > 0.5 ? 1 : 0) === test.y[i]) right++;

  let loadCsvError = '';
  try {
    await csv.loadCsv('students.csv');
  } catch (e) {
    loadCsvError = `${e.name}: ${e.message}`;
  }

  return {
    kind: runtime.kind,
    prediction,
    batchPrediction,
    loss: history.loss,
    testAccuracy: right / test.rows,
    testRows: test.rows,
    loadCsvError,
    violations,
  };
}

export function report(promise) {
  promise.then(
    (r) => {
      window.__result = r;
    },
    (e) => {
      window.__error = `${e && e.name}: ${e && e.message}\n${e && e.stack}`;
    },
  );
}
