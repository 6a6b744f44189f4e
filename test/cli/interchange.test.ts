/**
 * `simdnet import` and `simdnet export` end to end (the built dist/cli.js):
 * PyTorch's ONNX files (external data read from beside the model) to simdnet
 * models that predict as PyTorch did; a trained model out to ONNX (run in
 * ONNX Runtime), TF.js and brain.js and back; refusals, one line each.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/csv.js';
import { init, Network, type Runtime } from '../../src/index.js';
import { fromBrainJS } from '../../src/brain.js';
import { fromONNX } from '../../src/onnx.js';
import { fromTFJS } from '../../src/tfjs.js';
import { DATA_DIR } from '../support/data.js';
import { onnxModel } from '../support/onnx-models.js';
import { runOrt } from '../support/ort.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const CLI = join(ROOT, 'dist/cli.js');
const FIXTURES = join(ROOT, 'test/fixtures/onnx');

let dir = '';
let rt: Runtime;

function simdnet(args: readonly string[], cwd = dir) {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function expectFailure(r: ReturnType<typeof simdnet>, code: number, ...words: string[]) {
  expect(r.code, r.stderr).toBe(code);
  expect(r.stdout).toBe('');
  const lines = r.stderr.split('\n').filter((l) => l !== '');
  expect(lines, r.stderr).toHaveLength(1);
  for (const w of words) expect(lines[0]).toContain(w);
}

const noTempFiles = () => expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` first (\`npm test\` does)`);
  dir = mkdtempSync(join(tmpdir(), 'simdnet-interchange-'));
  rt = await init();
  const r = simdnet(['train', join(DATA_DIR, 'iris.csv'), '--seed', '1', '--epochs', '40', '--hidden', '12', '--out', 'iris.model.json']);
  expect(r.code, r.stderr).toBe(0);
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('simdnet import', () => {
  it.each(['mlp_4_8_6_5_1_legacy', 'classifier_4_32_3_dynamo', 'regressor_3_5_2_nobias_legacy'])('%s.onnx: a model that predicts as PyTorch did', (name) => {
    const sub = join(dir, name);
    mkdirSync(sub, { recursive: true });
    for (const f of readdirSync(FIXTURES).filter((f) => f.startsWith(`${name}.onnx`))) copyFileSync(join(FIXTURES, f), join(sub, f));
    const r = simdnet(['import', join(sub, `${name}.onnx`)]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`model     ${name}.model.json`);
    if (name.includes('dynamo')) expect(r.stdout).toContain(`external data: ${name}.onnx.data`);
    const net = Network.fromJSON(readFileSync(join(dir, `${name}.model.json`), 'utf8'), { runtime: rt });
    const ref = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')) as { inputs: number[][]; outputs: number[][] };
    const out = (net.predict(ref.inputs) as number[][]).flat();
    ref.outputs.flat().forEach((e, i) => expect(Math.abs(out[i]! - e)).toBeLessThanOrEqual(1e-5));
    noTempFiles();
  });

  it('refuses an external data file outside the model’s folder, a missing one, and an output that is an input', () => {
    const sub = join(dir, 'hostile');
    mkdirSync(sub, { recursive: true });
    const g = (location: string) => onnxModel({
      nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
      initializers: [{ name: 'w', dims: [2, 1], values: [1, 2], storage: 'external', location }],
      inputs: [{ name: 'x', dims: ['N', 2] }],
      outputs: [{ name: 'y', dims: ['N', 1] }],
    });
    writeFileSync(join(sub, 'up.onnx'), g('../secret.bin'));
    expectFailure(simdnet(['import', join(sub, 'up.onnx')]), 1, "external data file '../secret.bin' is not a file name inside the model's folder");
    writeFileSync(join(sub, 'abs.onnx'), g('/etc/hostname'));
    expectFailure(simdnet(['import', join(sub, 'abs.onnx')]), 1, "'/etc/hostname' is not a file name inside");
    writeFileSync(join(sub, 'gone.onnx'), g('gone.bin'));
    expectFailure(simdnet(['import', join(sub, 'gone.onnx')]), 1, 'cannot read external data file', 'gone.bin', 'no such file');
    const before = readFileSync(join(sub, 'gone.onnx'));
    expectFailure(simdnet(['import', join(sub, 'gone.onnx'), '--out', join(sub, 'gone.onnx')]), 1, "--out: '", 'this command reads; it was left untouched and nothing was done');
    expect(readFileSync(join(sub, 'gone.onnx'))).toEqual(before);
  });

  it('names what it cannot read: not a model, a simdnet model already, an unsupported op (named)', () => {
    writeFileSync(join(dir, 'notes.json'), '{"hello": 1}');
    expectFailure(simdnet(['import', 'notes.json']), 1, 'cannot tell its format');
    // JSON that holds no object (was an internal error: the 'in' operator on a number); inherited keys tell nothing
    for (const [name, text] of [['five.json', '5'], ['text.json', '"modelTopology"'], ['list.json', '["sizes", "layers"]'], ['proto.json', '{"__proto__": {"modelTopology": {}}}']]) {
      writeFileSync(join(dir, name!), text!);
      expectFailure(simdnet(['import', name!]), 1, `${name}: cannot tell its format`);
    }
    expectFailure(simdnet(['import', 'iris.model.json']), 1, 'already a simdnet model');
    writeFileSync(join(dir, 'conv.onnx'), onnxModel({
      nodes: [{ op: 'Conv', name: '/c/Conv', inputs: ['x', 'w'], outputs: ['y'] }],
      initializers: [{ name: 'w', dims: [2, 1], values: [1, 2] }],
      inputs: [{ name: 'x', dims: ['N', 2] }],
      outputs: [{ name: 'y', dims: ['N', 1] }],
    }));
    expectFailure(simdnet(['import', 'conv.onnx']), 1, 'conv.onnx: not a usable ONNX', "node 0 of 1 ('/c/Conv', op Conv)");
    expectFailure(simdnet(['import', 'conv.onnx', '--format', 'keras']), 2, '--format: expected one of onnx, tfjs, brainjs');
    noTempFiles();
  });
});

describe('simdnet export', () => {
  const rows = () => parseCsv(readFileSync(join(DATA_DIR, 'iris.csv'), 'utf8'));

  it('--format onnx: ONNX Runtime on raw rows = the model’s predictions; import gives the same model back', async () => {
    const r = simdnet(['export', 'iris.model.json', '--format', 'onnx']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('files     iris.onnx');
    const net = Network.fromJSON(readFileSync(join(dir, 'iris.model.json'), 'utf8'), { runtime: rt });
    const bytes = new Uint8Array(readFileSync(join(dir, 'iris.onnx')));
    const d = rows();
    const expected = net.predict(d.x) as Float32Array;
    const ort = await runOrt(bytes, d.x, d.rows);
    ort.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThanOrEqual(1e-5));
    expect(fromONNX(bytes, { runtime: rt }).predict(d.x)).toEqual(expected);
    const back = simdnet(['import', 'iris.onnx', '--out', 'iris-again.model.json']);
    expect(back.code, back.stderr).toBe(0);
    const again = JSON.parse(readFileSync(join(dir, 'iris-again.model.json'), 'utf8'));
    const orig = JSON.parse(readFileSync(join(dir, 'iris.model.json'), 'utf8'));
    expect([again.weights, again.scaler, again.classes, again.featureNames]).toEqual([orig.weights, orig.scaler, orig.classes, orig.featureNames]);
    noTempFiles();
  });

  it('--format tfjs writes model.json and its weights file; --format brainjs refuses a softmax model', () => {
    const r = simdnet(['export', 'iris.model.json', '--format', 'tfjs']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('iris.tfjs.json, iris.weights.bin');
    expect(r.stderr).toContain('folded into the first');
    const modelJSON = JSON.parse(readFileSync(join(dir, 'iris.tfjs.json'), 'utf8'));
    expect(modelJSON.weightsManifest[0].paths).toEqual(['iris.weights.bin']);
    const net = fromTFJS(modelJSON, { 'iris.weights.bin': new Uint8Array(readFileSync(join(dir, 'iris.weights.bin'))) }, { runtime: rt });
    const d = rows();
    const orig = Network.fromJSON(readFileSync(join(dir, 'iris.model.json'), 'utf8'), { runtime: rt });
    const a = net.predict(d.x) as Float32Array, b = orig.predict(d.x) as Float32Array;
    a.forEach((v, i) => expect(Math.abs(v - b[i]!)).toBeLessThanOrEqual(1e-5));
    const imported = simdnet(['import', 'iris.tfjs.json', '--out', 'iris-tfjs.model.json']);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('weights: iris.weights.bin');
    expectFailure(simdnet(['export', 'iris.model.json', '--format', 'brainjs']), 1, 'iris.model.json: cannot be exported as brain.js: brain.js cannot express layer 1 of 2 (softmax)');
    noTempFiles();
  });

  it('--format brainjs for a one-activation model', () => {
    const net = new Network({ inputs: 4, layers: [{ units: 5, activation: 'tanh' }, { units: 3, activation: 'tanh' }], seed: 2, runtime: rt });
    writeFileSync(join(dir, 'tanh.model.json'), JSON.stringify(net));
    const r = simdnet(['export', 'tanh.model.json', '--format', 'brainjs', '--out', 'tanh.json']);
    expect(r.code, r.stderr).toBe(0);
    const back = fromBrainJS(readFileSync(join(dir, 'tanh.json'), 'utf8'), { runtime: rt });
    expect(back.getWeights()).toEqual(net.getWeights());
  });

  it('usage errors: no --format, an output that is the input', () => {
    expectFailure(simdnet(['export', 'iris.model.json']), 2, 'missing --format');
    expectFailure(simdnet(['export', 'iris.model.json', '--format', 'onnx', '--out', 'iris.model.json']), 1, "--out: 'iris.model.json' is the model file this command reads; it was left untouched");
    expect(simdnet(['export', '--help']).stdout).toContain('--format onnx|tfjs|brainjs');
    expect(simdnet(['--help']).stdout).toContain('simdnet import model.onnx');
  });
});
