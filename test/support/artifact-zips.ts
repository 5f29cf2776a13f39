// Zips for the coverage gate's tests: built with fflate, and bent the way a
// hostile artifact would be.

/** Rewrites every declared uncompressed size of a zip (local headers and central directory), as a zip bomb lies. */
export function declareSize(zip: Uint8Array, size: number): Uint8Array {
  const bytes = Buffer.from(zip);
  for (let offset = 0; offset + 4 <= bytes.length; offset += 1) {
    const signature = bytes.readUInt32LE(offset);
    if (signature === 0x04034b50) bytes.writeUInt32LE(size, offset + 22);
    if (signature === 0x02014b50) bytes.writeUInt32LE(size, offset + 24);
  }
  return new Uint8Array(bytes);
}
