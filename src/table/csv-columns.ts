/**
 * Typed storage that grows while a CSV streams in, for tables whose row
 * count is known only at the end: no object per row, and a peak of about
 * the final size when the input's length gives a good estimate of the rows,
 * twice otherwise (blocks of a fixed size, copied once into the result),
 * instead of the up to three times of a doubling array.
 */

/**
 * Float32 rows of a fixed width, appended in blocks of about 1 MiB — or, once
 * the caller knows about how many rows are coming, in one array of that size
 * that becomes the result without a copy.
 */
export class Float32Rows {
  readonly width: number;
  private readonly blockLength: number;
  private readonly blocks: Float32Array[] = [];
  /** Values in the blocks before the current one. */
  private filled = 0;
  /** The block being filled, and the next free position in it (a multiple of `width`). */
  block: Float32Array;
  pos = 0;

  constructor(width: number) {
    this.width = width;
    this.blockLength = Math.max(1, Math.floor((1 << 18) / Math.max(1, width))) * width;
    this.block = new Float32Array(this.blockLength);
    this.blocks.push(this.block);
  }

  /** Starts a new block when the current one is full; the caller then writes at `block[pos…]`. */
  next(): void {
    this.filled += this.block.length;
    this.block = new Float32Array(this.blockLength);
    this.blocks.push(this.block);
    this.pos = 0;
  }

  /**
   * Room for `rows` rows in one array, while everything is still in the first
   * block: then, if the estimate holds, toArray returns that array itself.
   */
  reserve(rows: number): void {
    if (this.blocks.length !== 1 || rows * this.width <= this.block.length) return;
    const one = new Float32Array(rows * this.width);
    one.set(this.block.subarray(0, this.pos));
    this.block = one;
    this.blocks[0] = one;
  }

  /** Rows written so far (the caller advances `pos` by `width` per row it keeps). */
  get rows(): number {
    return this.width === 0 ? 0 : (this.filled + this.pos) / this.width;
  }

  /** All rows in one array, exactly `rows × width` long; the blocks are released. */
  toArray(): Float32Array {
    const length = this.filled + this.pos;
    if (this.blocks.length === 1) {
      const only = this.block;
      // a view leaves the unused end of an estimate allocated: fine when it is small
      if (only.length - length <= only.length / 32) return only.subarray(0, length);
    }
    const out = new Float32Array(length);
    let at = 0;
    const last = this.blocks.length - 1;
    for (let b = 0; b <= last; b++) {
      const block = this.blocks[b] as Float32Array;
      const part = b === last ? block.subarray(0, this.pos) : block;
      out.set(part, at);
      at += part.length;
      (this.blocks as (Float32Array | null)[])[b] = null;
    }
    this.blocks.length = 0;
    return out;
  }
}

/** A growable Float64Array (one value per row). */
export class Float64Column {
  values = new Float64Array(1024);
  length = 0;

  push(v: number): void {
    if (this.length === this.values.length) this.values = grow(this.values, new Float64Array(this.length * 2));
    this.values[this.length++] = v;
  }

  /** The values, exactly `length` long. */
  view(): Float64Array {
    return this.values.subarray(0, this.length);
  }
}

/**
 * Byte strings, one per row, in one buffer: the raw bytes of a text column
 * (e.g. class labels), decoded only when and if the column turns out to be text.
 */
export class BytesColumn {
  bytes = new Uint8Array(4096);
  /** Row i is `bytes[ends[i − 1] ?? 0, ends[i])`. */
  ends = new Uint32Array(1024);
  length = 0;
  private used = 0;

  /** Appends `src[start, end)`, with each `""` read as `"` when `unescape`. */
  push(src: Uint8Array, start: number, end: number, unescape: boolean): void {
    const n = end - start;
    if (this.used + n > this.bytes.length) this.bytes = grow(this.bytes, new Uint8Array(Math.max(this.bytes.length * 2, this.used + n)));
    if (this.length === this.ends.length) this.ends = grow(this.ends, new Uint32Array(this.length * 2));
    if (!unescape && n > 32) {
      this.bytes.set(src.subarray(start, end), this.used);
      this.used += n;
    } else if (!unescape) {
      // a short label (the usual case) copied by hand: no view object per row
      for (let i = start; i < end; i++) this.bytes[this.used++] = src[i] as number;
    } else {
      for (let i = start; i < end; i++) {
        this.bytes[this.used++] = src[i] as number;
        if (src[i] === 0x22) i++; // the second quote of a pair
      }
    }
    this.ends[this.length++] = this.used;
  }

  /** Row i's bytes as [start, end) into `bytes`. */
  start(i: number): number {
    return i === 0 ? 0 : (this.ends[i - 1] as number);
  }
}

function grow<T extends Float64Array | Uint8Array | Uint32Array>(from: T, to: T): T {
  to.set(from);
  return to;
}
