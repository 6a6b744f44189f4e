/**
 * The few pieces of the WebAssembly binary format the tiny path emits:
 * opcodes it uses, LEB128 integers, f64 constants, names, vectors and
 * sections. Enough for a module of one function; nothing general.
 */

export const enum Op {
  end = 0x0b,
  select = 0x1b,
  call = 0x10,
  localGet = 0x20,
  localSet = 0x21,
  i32Const = 0x41,
  f64Const = 0x44,
  f64Load = 0x2b,
  f64Store = 0x39,
  f64Lt = 0x63,
  f64Gt = 0x64,
  f64Abs = 0x99,
  f64Neg = 0x9a,
  f64Add = 0xa0,
  f64Sub = 0xa1,
  f64Mul = 0xa2,
  f64Div = 0xa3,
}

/** The f64 value type. */
export const F64 = 0x7c;

/** The magic number and version every module starts with. */
export const WASM_HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00] as const;

/** A growing byte string with the encodings a module needs (LEB128, f64, names, vectors, sections). */
export class Bytes {
  readonly b: number[] = [];
  op(...ops: number[]): this {
    this.b.push(...ops);
    return this;
  }
  uleb(n: number): this {
    do {
      let byte = n & 0x7f;
      n >>>= 7;
      if (n !== 0) byte |= 0x80;
      this.b.push(byte);
    } while (n !== 0);
    return this;
  }
  f64(v: number): this {
    const a = new Uint8Array(new Float64Array([v]).buffer);
    this.b.push(...a);
    return this;
  }
  name(s: string): this {
    this.uleb(s.length);
    for (let i = 0; i < s.length; i++) this.b.push(s.charCodeAt(i));
    return this;
  }
  vec(items: Bytes[]): this {
    this.uleb(items.length);
    for (const it of items) this.b.push(...it.b);
    return this;
  }
  section(id: number, body: Bytes): this {
    this.b.push(id);
    this.uleb(body.b.length);
    this.b.push(...body.b);
    return this;
  }
}
