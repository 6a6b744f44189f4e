let table: Uint32Array | null = null;

/** CRC-32 (IEEE) of a string's UTF-16 code units, as 8 hex digits. */
export function crc32(text: string): string {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    crc = table[(crc ^ u) & 0xff]! ^ (crc >>> 8);
    crc = table[(crc ^ (u >>> 8)) & 0xff]! ^ (crc >>> 8);
  }
  return ((crc ^ 0xffffffff) >>> 0).toString(16).padStart(8, '0');
}
