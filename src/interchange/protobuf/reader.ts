/**
 * A bounded protocol-buffers reader: the wire format only (no schema, no code
 * generation), for files nobody vouches for. Every length is checked against
 * the bytes that are left before anything is sliced or allocated, varints
 * longer than 10 bytes and nesting deeper than MAX_DEPTH are refused, and
 * every failure is a DataError naming the field path (`model.graph.node[3]`),
 * so a truncated or hostile file can neither trap, hang nor allocate more
 * than its own size.
 */

import { DataError } from 'simdnet';

/** How deep messages may nest; ONNX's dense graphs need 7 (model → graph → node → attribute → tensor …). */
export const MAX_DEPTH = 16;

/** Wire types of the protobuf encoding. */
const enum Wire {
  varint = 0,
  fixed64 = 1,
  bytes = 2,
  fixed32 = 5,
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });
const TWO_32 = 2 ** 32;

/** Reads the fields of one message, in order: `while (r.next()) switch (r.field) …`. */
export class ProtoReader {
  /** Field number and wire type of the field `next()` stopped at. */
  field = 0;
  wire = 0;
  private pos: number;
  private readonly view: DataView;

  /**
   * @param bytes - the whole buffer; the message is bytes[start, end).
   * @param path - the message's name in error messages, e.g. `model.graph`.
   * @param depth - how many messages enclose this one.
   */
  constructor(
    private readonly bytes: Uint8Array,
    readonly path: string,
    private readonly start = 0,
    private readonly end = bytes.length,
    private readonly depth = 0,
  ) {
    if (depth > MAX_DEPTH) throw new DataError(`${path}: expected messages nested at most ${MAX_DEPTH} deep, got deeper nesting (a corrupt or hostile file)`);
    this.pos = start;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** A DataError about the current field, naming it and the byte where it is. */
  fail(what: string, name = `field ${this.field}`): DataError {
    return new DataError(`${this.path}.${name}: ${what} (at byte ${this.pos} of ${this.bytes.length})`);
  }

  /** Advances to the next field; false at the end of the message. */
  next(): boolean {
    if (this.pos >= this.end) return false;
    const key = this.rawVarint('a field key');
    this.field = Math.floor(key / 8);
    this.wire = key % 8;
    if (this.field === 0) throw this.fail('expected a field number ≥ 1, got 0 (the bytes are not a protobuf message)', 'key');
    if (this.wire !== Wire.varint && this.wire !== Wire.fixed64 && this.wire !== Wire.bytes && this.wire !== Wire.fixed32) {
      throw this.fail(`expected wire type 0, 1, 2 or 5, got ${this.wire} (groups are not used by this format; the file is corrupt)`);
    }
    return true;
  }

  /** An unsigned varint up to 2^53 (every size and count in these formats). */
  private rawVarint(what: string): number {
    this.varint64(what);
    return this.combine(this.lo, this.hi, false, what);
  }

  private lo = 0;
  private hi = 0;

  /** Reads a varint's 64 bits into lo and hi. */
  private varint64(what: string): void {
    let lo = 0;
    let hi = 0;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw this.fail(`expected ${what}, got the end of the message (the file is truncated)`);
      const b = this.bytes[this.pos++]!;
      if (i < 4) lo |= (b & 0x7f) << (7 * i);
      else if (i === 4) {
        lo |= (b & 0x0f) << 28;
        hi = (b & 0x7f) >> 4;
      } else hi |= (b & 0x7f) << (7 * i - 32);
      if (b < 0x80) {
        this.lo = lo;
        this.hi = hi;
        return;
      }
    }
    throw this.fail(`expected a varint of at most 10 bytes, got a longer one`);
  }

  private combine(lo: number, hi: number, signed: boolean, what: string): number {
    lo >>>= 0;
    hi >>>= 0;
    if (signed && hi >= 0x80000000) {
      // two's complement: −(2^64 − v), exact while the magnitude is below 2^53
      const mag = (~hi >>> 0) * TWO_32 + (~lo >>> 0) + 1;
      if (mag > Number.MAX_SAFE_INTEGER) throw this.fail(`expected ${what} within ±2^53, got a larger magnitude`);
      return -mag;
    }
    if (hi > 0x1fffff) throw this.fail(`expected ${what} below 2^53, got a larger value`);
    return hi * TWO_32 + lo;
  }

  private requireWire(wire: Wire, what: string): void {
    if (this.wire !== wire) throw this.fail(`expected ${what} (wire type ${wire}), got wire type ${this.wire}`);
  }

  /** A signed int32/int64 field (negative values are 10-byte two's complement). */
  int(): number {
    this.requireWire(Wire.varint, 'an integer');
    this.varint64('an integer');
    return this.combine(this.lo, this.hi, true, 'an integer');
  }

  float(): number {
    this.requireWire(Wire.fixed32, 'a float');
    return this.view.getFloat32(this.take(4, 'a float'), true);
  }

  double(): number {
    this.requireWire(Wire.fixed64, 'a double');
    return this.view.getFloat64(this.take(8, 'a double'), true);
  }

  /** Moves past n bytes, checked; returns where they start. */
  private take(n: number, what: string): number {
    if (n > this.end - this.pos) {
      throw this.fail(`expected ${what} of ${n} bytes, got ${this.end - this.pos} bytes before the end of the message (the file is truncated or a length is corrupt)`);
    }
    const at = this.pos;
    this.pos += n;
    return at;
  }

  /** A length-delimited field's bytes: a view into the buffer, not a copy. */
  bytesField(): Uint8Array {
    this.requireWire(Wire.bytes, 'a length-delimited field');
    const n = this.rawVarint('a length');
    const at = this.take(n, 'a length-delimited field');
    return this.bytes.subarray(at, at + n);
  }

  /** A string field, which must be valid UTF-8. */
  string(name: string): string {
    const b = this.bytesField();
    try {
      return UTF8.decode(b);
    } catch {
      throw this.fail('expected UTF-8 text, got bytes that are not valid UTF-8', name);
    }
  }

  /** The embedded message of the current field, read by a reader of its own. */
  message(name: string): ProtoReader {
    this.requireWire(Wire.bytes, `the message ${name}`);
    const n = this.rawVarint('a length');
    const at = this.take(n, `the message ${name}`);
    return new ProtoReader(this.bytes, `${this.path}.${name}`, at, at + n, this.depth + 1);
  }

  /**
   * A repeated scalar field, packed (one length-delimited run) or not (one
   * value per occurrence): appends to `out`. `kind` says how to read a value.
   */
  repeated(kind: 'int' | 'float' | 'double', out: number[]): void {
    const single = kind === 'int' ? Wire.varint : kind === 'float' ? Wire.fixed32 : Wire.fixed64;
    if (this.wire === single) {
      out.push(kind === 'int' ? this.int() : kind === 'float' ? this.float() : this.double());
      return;
    }
    const run = this.bytesField();
    if (kind !== 'int') {
      const size = kind === 'float' ? 4 : 8;
      if (run.length % size !== 0) throw this.fail(`expected packed ${kind}s (a multiple of ${size} bytes), got ${run.length} bytes`);
      const view = new DataView(run.buffer, run.byteOffset, run.byteLength);
      for (let o = 0; o < run.length; o += size) out.push(size === 4 ? view.getFloat32(o, true) : view.getFloat64(o, true));
      return;
    }
    const sub = new ProtoReader(run, this.path, 0, run.length, this.depth);
    sub.field = this.field;
    sub.wire = Wire.varint;
    while (sub.pos < sub.end) out.push(sub.int());
  }

  /** Skips the current field's value (fields this reader does not use). */
  skip(): void {
    if (this.wire === Wire.varint) this.varint64('an integer');
    else if (this.wire === Wire.fixed64) this.take(8, 'a 64-bit value');
    else if (this.wire === Wire.fixed32) this.take(4, 'a 32-bit value');
    else this.bytesField();
  }
}
