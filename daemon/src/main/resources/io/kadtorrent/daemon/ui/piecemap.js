// Draws the verified pieces (the API's base64 bitfield, BEP 3 order: piece 0 is the high bit of byte 0)
// as a grid of cells. With more pieces than cells, a cell stands for a run of pieces and its shade for
// how many of them are verified.

const HAVE = [46, 160, 67];
const MISSING = [226, 230, 234];
const MIN_CELL_PX = 4;

export function decodeBitfield(b64) {
  const binary = atob(b64 || '');
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) {
    out[i] = binary.charCodeAt(i);
  }
  return out;
}

function has(bits, piece) {
  return (bits[piece >> 3] >> (7 - (piece & 7))) & 1;
}

/** Returns how many pieces are verified. */
export function drawPieceMap(canvas, b64, pieceCount) {
  const bits = decodeBitfield(b64);
  const ctx = canvas.getContext('2d');
  const { width, height } = canvas;
  ctx.clearRect(0, 0, width, height);
  let verified = 0;
  for (let p = 0; p < pieceCount; p++) {
    verified += has(bits, p);
  }
  if (pieceCount <= 0) {
    return 0;
  }
  // the largest square cell that fits every piece, or runs of pieces per cell once cells get too small
  let cell = Math.floor(Math.sqrt((width * height) / pieceCount));
  cell = Math.max(MIN_CELL_PX, Math.min(cell, 24));
  const cols = Math.max(1, Math.floor(width / cell));
  const rows = Math.max(1, Math.floor(height / cell));
  const cells = Math.min(pieceCount, cols * rows);
  for (let c = 0; c < cells; c++) {
    const from = Math.floor((c * pieceCount) / cells);
    const to = Math.floor(((c + 1) * pieceCount) / cells);
    let n = 0;
    for (let p = from; p < to; p++) {
      n += has(bits, p);
    }
    const f = to > from ? n / (to - from) : 0;
    const rgb = MISSING.map((m, i) => Math.round(m + (HAVE[i] - m) * f));
    ctx.fillStyle = `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
    const x = (c % cols) * cell;
    const y = Math.floor(c / cols) * cell;
    ctx.fillRect(x, y, cell - 1, cell - 1);
  }
  return verified;
}
