/**
 * The bounded protobuf reader and the writer: values round-trip (negative
 * int64 as 10-byte two's complement, floats, packed and unpacked repeated
 * fields), and every malformed input is a DataError naming the field —
 * over-long varints, lengths past the end, deep nesting, huge dims —
 * then a fuzz of the ONNX fixtures: byte mutations and truncations give a
 * model or a named DataError, never a trap, a hang or another error.
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataError, init, type Runtime } from '../../src/index.js';
import { decodeModel } from '../../src/interchange/onnx/decode.js';
import { ProtoReader } from '../../src/interchange/protobuf/reader.js';
import { ProtoWriter } from '../../src/interchange/protobuf/writer.js';
import { fromONNX } from '../../src/onnx.js';
import { expectError } from '../support/expect-error.js';
import { onnxModel } from '../support/onnx-models.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await init();
});

describe('writer → reader', () => {
  it('integers (negative ones as 10 bytes), floats, strings, bytes, nested and packed fields', () => {
    const ints = [0, 1, 127, 128, 300, 2 ** 31, 2 ** 32 + 5, Number.MAX_SAFE_INTEGER, -1, -2, -(2 ** 32), -(2 ** 40) - 3];
    const w = new ProtoWriter();
    for (const v of ints) w.int(1, v);
    w.float(2, 0.1).string(3, 'héllo').bytes(4, new Uint8Array([1, 2, 3])).message(5, (m) => m.int(1, -7).packedInts(2, [1, -1, 300]));
    const bytes = w.finish();
    expect(Array.from(new ProtoWriter().int(1, -1).finish())).toEqual([8, 255, 255, 255, 255, 255, 255, 255, 255, 255, 1]);
    const r = new ProtoReader(bytes, 'm');
    const got: number[] = [];
    let float = 0, text = '', raw: number[] = [], nested: number[] = [];
    while (r.next()) {
      if (r.field === 1) got.push(r.int());
      else if (r.field === 2) float = r.float();
      else if (r.field === 3) text = r.string('s');
      else if (r.field === 4) raw = Array.from(r.bytesField());
      else if (r.field === 5) {
        const m = r.message('sub');
        while (m.next()) m.repeated('int', nested);
      }
    }
    expect(got).toEqual(ints);
    expect(float).toBe(Math.fround(0.1));
    expect(text).toBe('héllo');
    expect(raw).toEqual([1, 2, 3]);
    expect(nested).toEqual([-7, 1, -1, 300]);
  });

  it('round-trips any int64 within ±2^53 (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.maxSafeInteger(), { maxLength: 20 }), (list) => {
        const w = new ProtoWriter().packedInts(1, list);
        for (const v of list) w.int(2, v);
        const r = new ProtoReader(w.finish(), 'm');
        const packed: number[] = [], single: number[] = [];
        while (r.next()) r.repeated('int', r.field === 1 ? packed : single);
        expect(packed).toEqual(list.map((v) => v + 0));
        expect(single).toEqual(list.map((v) => v + 0));
      }),
      { seed: 42, numRuns: 300 },
    );
  });
});

describe('malformed bytes: a DataError naming the field', () => {
  const read = (bytes: number[]) => () => {
    const r = new ProtoReader(new Uint8Array(bytes), 'model');
    while (r.next()) {
      if (r.wire === 2) r.message('graph').next();
      else r.skip();
    }
  };

  it('a varint longer than 10 bytes', () => {
    expectError(read([8, ...new Array(11).fill(0x80), 0]), DataError, 'model.field 1', 'at most 10 bytes');
  });

  it('a length past the end, a truncated varint, a fixed32 cut short', () => {
    expectError(read([0x3a, 50, 1, 2]), DataError, 'model.field 7', 'the message graph of 50 bytes, got 2 bytes');
    expectError(read([8, 0x80]), DataError, 'model.field 1', 'the file is truncated');
    expectError(read([0x15, 1, 2]), DataError, 'model.field 2', 'of 4 bytes, got 2');
  });

  it('field 0, group wire types', () => {
    expectError(read([0, 1]), DataError, 'model.key', 'field number ≥ 1');
    expectError(read([0x0b, 0x0c]), DataError, 'model.field 1', 'expected wire type 0, 1, 2 or 5, got 3');
  });

  it('nesting deeper than 16 messages', () => {
    let inner: Uint8Array = new Uint8Array(0);
    for (let i = 0; i < 20; i++) inner = new ProtoWriter().bytes(1, inner).finish();
    const deep = () => {
      const walk = (r: ProtoReader): void => {
        while (r.next()) walk(r.message('m'));
      };
      walk(new ProtoReader(inner, 'model'));
    };
    expectError(deep, DataError, 'nested at most 16 deep');
  });

  it('a value of the wrong wire type, invalid UTF-8', () => {
    const wrong = new ProtoWriter().float(1, 1).finish();
    expectError(() => {
      const r = new ProtoReader(wrong, 'model');
      r.next();
      r.int();
    }, DataError, 'model.field 1', 'expected an integer (wire type 0), got wire type 5');
    const bad = new ProtoWriter().bytes(3, new Uint8Array([0xc3, 0x28])).finish();
    expectError(() => {
      const r = new ProtoReader(bad, 'model');
      r.next();
      r.string('name');
    }, DataError, 'model.name', 'not valid UTF-8');
  });

  it('huge dims: refused before any allocation, naming the initializer', () => {
    const bytes = onnxModel({
      nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
      initializers: [{ name: 'w', dims: [2, 2 ** 40], values: [1, 2] }],
      inputs: [{ name: 'x', dims: ['N', 2] }],
      outputs: [{ name: 'y', dims: ['N', 3] }],
    });
    expectError(() => fromONNX(bytes), DataError, "initializer 'w'", 'at most 2^30 elements');
    const mismatch = onnxModel({
      nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
      initializers: [{ name: 'w', dims: [2, 30000], values: [1, 2] }],
      inputs: [{ name: 'x', dims: ['N', 2] }],
      outputs: [{ name: 'y', dims: ['N', 30000] }],
    });
    expectError(() => fromONNX(mismatch), DataError, "initializer 'w'.raw_data", 'expected 240000 bytes', 'got 8');
  });

  it('bytes that are not an ONNX model', () => {
    expectError(() => decodeModel(new TextEncoder().encode('{"format":"simdnet-model"}')), DataError, 'model');
    expectError(() => decodeModel(new Uint8Array([8, 7])), DataError, 'model.graph: expected one graph, got 0');
  });
});

describe('fuzz: mutated and truncated ONNX files', () => {
  const files = ['mlp_4_8_6_5_1_legacy', 'regressor_3_5_2_nobias_legacy', 'classifier_4_32_3_dynamo'].map((name) => {
    const dir = new URL('../fixtures/onnx/', import.meta.url);
    const bytes = new Uint8Array(readFileSync(new URL(`${name}.onnx`, dir)));
    const data = name.includes('dynamo') ? { [`${name}.onnx.data`]: new Uint8Array(readFileSync(new URL(`${name}.onnx.data`, dir))) } : undefined;
    return { bytes, data };
  });

  /** A model whose outputs are finite where its weights are, or a DataError; anything else fails the test. */
  function outcome(bytes: Uint8Array, data: Record<string, Uint8Array> | undefined): 'model' | 'refused' {
    const live = rt.heap.liveBytes;
    try {
      const net = fromONNX(bytes, { externalData: data, runtime: rt });
      const x = new Float32Array(net.inputs * 3).fill(0.5);
      expect((net.predict(x) as Float32Array).length).toBe(3 * net.outputs);
      net.dispose();
      expect(rt.heap.liveBytes).toBe(live);
      return 'model';
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      expect(e.message).toMatch(/^onnx|^model/);
      expect(rt.heap.liveBytes).toBe(live);
      return 'refused';
    }
  }

  it('byte mutations give a model or a named DataError (fast-check, fixed seed)', () => {
    const seen = { model: 0, refused: 0 };
    const started = Date.now();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: files.length - 1 }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 6 }),
        (f, edits) => {
          const bytes = files[f]!.bytes.slice();
          for (const [at, v] of edits) bytes[at % bytes.length] = v;
          seen[outcome(bytes, files[f]!.data)]++;
        },
      ),
      { seed: 20261206, numRuns: 1500 },
    );
    expect(seen.model).toBeGreaterThan(50);
    expect(seen.refused).toBeGreaterThan(50);
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('every truncation is a named DataError', () => {
    for (const { bytes, data } of files) {
      for (let n = 0; n < bytes.length; n++) expect(outcome(bytes.subarray(0, n), data), `first ${n} bytes`).toBe('refused');
    }
  });

  it('a truncated or mutated external file gives a model or a named DataError', () => {
    const { bytes, data } = files[2]!;
    const [name, file] = Object.entries(data!)[0]!;
    for (let n = 0; n < file.length; n += 7) expect(outcome(bytes, { [name]: file.subarray(0, n) })).toBe('refused');
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), (at, v) => {
        const copy = file.slice();
        copy[at % copy.length] = v;
        outcome(bytes, { [name]: copy });
      }),
      { seed: 7, numRuns: 300 },
    );
  });
});
