/**
 * The published declarations as a TypeScript user meets them: they compile
 * under a Node-only strict configuration (no DOM lib, skipLibCheck: false),
 * every exported symbol and member has TSDoc, and the forms the issue found
 * refused compile (and what must be refused still is: `module` is no `any`).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { consumerProject, typeErrors, type Consumer } from '../support/consumer.js';
import { declarationsProgram, diagnostics, NODE_ONLY_OPTIONS, undocumented } from '../support/declarations.js';

let program: ts.Program;
let consumer: Consumer;
beforeAll(() => {
  program = declarationsProgram();
  consumer = consumerProject('types');
});
afterAll(() => consumer?.remove());

describe('the public declarations', () => {
  it('compile under a Node-only strict tsconfig (lib ES2022, types node, skipLibCheck false)', () => {
    expect(diagnostics(program)).toEqual([]);
  });

  it('document every exported symbol and every public member (TSDoc)', () => {
    const missing = undocumented(program);
    expect(missing, `${missing.length} without TSDoc:\n${missing.join('\n')}`).toEqual([]);
  });

  it('the TSDoc count itself finds what lacks documentation', () => {
    const dir = mkdtempSync(join(tmpdir(), 'simdnet-tsdoc-'));
    try {
      const file = join(dir, 'probe.d.ts');
      // (a comment right after `{` on its line is not the member's: TypeScript reads it as the brace's)
      writeFileSync(file, [
        '/** Documented. */',
        'export declare function a(): void;',
        'export declare function b(): void;',
        '/** A class. */',
        'export declare class C {',
        '  /** x. */',
        '  x: number;',
        '  y: number;',
        '  private z;',
        '  /** g. */',
        '  get g(): number;',
        '  set g(v: number);',
        '}',
        '/** Options. */',
        'export interface O {',
        '  /** nested. */',
        '  n: {',
        '    inner: number;',
        '  };',
        '}',
        '/** Base. */',
        'declare class B {',
        '  /** documented on the base. */',
        '  kind: string;',
        '}',
        '/** Derived. */',
        'declare class D extends B {',
        '  kind: string;',
        '}',
        'export { B, D };',
      ].join('\n'));
      const probe = ts.createProgram([file], NODE_ONLY_OPTIONS);
      expect(undocumented(probe, [file])).toEqual(['C.y', 'O.n.inner', 'b']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('types as the README reads them (a consumer compiled against dist/)', () => {
  it('compiles the forms the issue found refused, and still refuses what is wrong', () => {
    writeFileSync(join(consumer.dir, 'forms.ts'), `
import { evaluate, init, Network, Scaler, Trainer, type MatrixInput, type WasmModule } from 'simdnet';
import { parseCsv } from 'simdnet/csv';

export async function main(rows: MatrixInput, module: WasmModule): Promise<number> {
  await init({ module });
  const net = new Network({ inputs: 2, layers: [{ units: 1, activation: 'sigmoid' }] });
  const out = net.predict(rows);                                // MatrixInput: every form
  const nested: number[][] = net.getWeights({ flat: false })[0]!.W;
  const flat: Float32Array = net.getWeights({ flat: true })[0]!.W;
  const accuracy: number | undefined = evaluate(net, { x: [[0, 1]], y: [1] }).accuracy; // no narrowing needed
  const e = evaluate(net, { x: [[0, 1]], y: ['yes'] });
  if (e.task !== 'regression') e.accuracy.toFixed(3);           // narrowed: a number
  else e.r2.toFixed(3);
  const p: number[][] = net.predictProba([[0, 1]]);
  const labels: string[] = net.predictLabels([0, 1]);
  const { scaler, scaled } = Scaler.fitTransform([[1, 2], [3, 4]]);
  const back: number[][] = scaler.inverseTransform(scaled);
  const f32: Float32Array = Scaler.fit(new Float32Array(4), { features: 2 }).transform(new Float32Array(4));
  new Trainer(net, { loss: 'bce', schedule: { type: 'cosine', warmup: 2 } }).fit([[0, 1]], ['yes'], { validationSplit: 0.5, earlyStopping: { monitor: 'val_accuracy' } });
  await net.save('m.json');
  const again: Network = await Network.load('m.json');
  const text: string = again.summary() + again.toFunctionSource({ format: 'cjs' });
  parseCsv('a,b\\n1,x\\n');
  // @ts-expect-error a number is no WebAssembly.Module: init's module option is typed, not any
  await init({ module: 42 });
  // @ts-expect-error an unknown schedule
  new Trainer(net, { loss: 'bce', schedule: { type: 'linear' } });
  return [out, nested, flat, accuracy, p, labels, back, f32, text].length;
}
`);
    expect(typeErrors(consumer.dir, ['forms.ts'])).toEqual([]);
  });
});
