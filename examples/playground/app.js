// The playground page: controls, the worker, and three drawings — the network
// as in textbook figures, the decision boundary as a heat map with the data on
// top, and the training / validation loss curves. State for tests and the
// curious: window.playground.
import { parseCsv } from '/dist/csv.browser.js';
import { circles, DATASETS, holdOut, moons, students, xor } from './datasets.js';

const POS = [33, 102, 172];
const NEG = [224, 130, 20];
const GRID = 60;

const $ = (id) => document.getElementById(id);
const form = $('controls');
const status = $('status');
const state = (window.playground = { kind: '', dataset: '', running: false, history: [], valHistory: [], snapshot: null, data: null, box: null, done: 0 });

const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onerror = (e) => setStatus('error', `worker failed: ${e.message}`);
worker.onmessage = ({ data: msg }) => {
  if (msg.type === 'ready') {
    state.kind = msg.kind;
    $('backend').textContent = `${msg.kind === 'wasm-simd' ? 'Wasm SIMD' : msg.kind === 'wasm-scalar' ? 'Wasm (scalar)' : msg.kind} backend`;
  } else if (msg.type === 'progress' || msg.type === 'done') {
    if (msg.type === 'progress') {
      state.history.push(msg.loss);
      state.valHistory.push(msg.valLoss);
    }
    if (msg.weights) state.snapshot = msg;
    drawLoss();
    if (msg.weights) {
      drawNetwork(msg.weights);
      drawBoundary(msg.grid);
    }
    const acc = msg.valAccuracy === undefined ? '' : `, validation accuracy ${(100 * msg.valAccuracy).toFixed(1)}%`;
    const line = `epoch ${msg.epoch}/${msg.epochs}: loss ${msg.loss?.toFixed(4)}, validation loss ${msg.valLoss?.toFixed(4)}${acc}`;
    if (msg.type === 'done') {
      state.running = false;
      state.done++;
      setButtons();
      setStatus('done', `${msg.stopReason === 'aborted' ? 'Stopped' : 'Done'} — ${line}`);
    } else setStatus('training', line);
  } else if (msg.type === 'error') {
    state.running = false;
    setButtons();
    setStatus('error', msg.message);
  }
};

function setStatus(kind, text) {
  status.dataset.state = kind;
  status.textContent = text;
}

function setButtons() {
  $('train').disabled = state.running;
  $('stop').disabled = !state.running;
}

async function loadData(name) {
  if (name === 'students') return students(parseCsv);
  return { moons, circles, xor }[name]();
}

function boxOf(x) {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (let i = 0; i < x.length; i += 2) {
    x0 = Math.min(x0, x[i]); x1 = Math.max(x1, x[i]);
    y0 = Math.min(y0, x[i + 1]); y1 = Math.max(y1, x[i + 1]);
  }
  const mx = 0.08 * (x1 - x0), my = 0.08 * (y1 - y0);
  return { x0: x0 - mx, x1: x1 + mx, y0: y0 - my, y1: y1 + my };
}

form.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (state.running) return;
  const f = new FormData(form);
  const name = f.get('dataset');
  const hidden = Math.max(0, Math.min(4, Number(f.get('layers')) || 0));
  const units = Math.max(1, Math.min(16, Number(f.get('units')) || 1));
  const data = holdOut(await loadData(name));
  Object.assign(state, { dataset: name, running: true, history: [], valHistory: [], snapshot: null, data, box: boxOf(data.train.x) });
  state.layers = [2, ...Array(hidden).fill(units), 1];
  setButtons();
  setStatus('training', 'starting…');
  drawLoss();
  drawNetwork(null);
  drawBoundary(null);
  const epochs = Math.max(1, Math.min(5000, Number(f.get('epochs')) || 1));
  worker.postMessage({
    type: 'train',
    train: data.train,
    validation: data.validation,
    layers: Array(hidden).fill(units),
    activation: f.get('activation'),
    optimizer: f.get('optimizer'),
    lr: Number(f.get('lr')),
    batchSize: Number(f.get('batchSize')),
    epochs,
    grid: { n: GRID, ...state.box },
    every: Math.max(1, Math.round(epochs / 100)),
  });
});

$('stop').addEventListener('click', () => worker.postMessage({ type: 'stop' }));

// ---------- drawing ----------

function rgb([r, g, b], a = 1) {
  return `rgba(${r}, ${g}, ${b}, ${a})`;
}

/** -1 … 1 → orange … white … blue */
function diverging(v) {
  const t = Math.max(-1, Math.min(1, v));
  const c = t >= 0 ? POS : NEG;
  const k = Math.abs(t);
  return [255 + (c[0] - 255) * k, 255 + (c[1] - 255) * k, 255 + (c[2] - 255) * k].map(Math.round);
}

function drawNetwork(weights) {
  const canvas = $('network');
  const ctx = canvas.getContext('2d');
  const { width: W, height: H } = canvas;
  ctx.clearRect(0, 0, W, H);
  const sizes = state.layers ?? [2, 1];
  const cols = sizes.length;
  const xAt = (l) => 50 + (l * (W - 100)) / (cols - 1);
  const yAt = (l, i) => {
    const n = sizes[l];
    const gap = Math.min(44, (H - 50) / Math.max(n, 1));
    return H / 2 - 8 + (i - (n - 1) / 2) * gap;
  };
  let maxW = 1e-6;
  if (weights) for (const layer of weights) for (const w of layer.W) maxW = Math.max(maxW, Math.abs(w));
  const edges = sizes.slice(1).reduce((s, n, l) => s + n * sizes[l], 0);
  // edges: W[i][j] goes from unit i of layer l to unit j of layer l+1
  for (let l = 0; l + 1 < cols; l++) {
    const n = sizes[l], m = sizes[l + 1];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const w = weights ? weights[l].W[i * m + j] : 0;
        ctx.strokeStyle = weights ? rgb(w >= 0 ? POS : NEG, 0.25 + 0.75 * Math.abs(w) / maxW) : '#ccc';
        ctx.lineWidth = weights ? 0.5 + 4.5 * (Math.abs(w) / maxW) : 1;
        ctx.beginPath();
        ctx.moveTo(xAt(l), yAt(l, i));
        ctx.lineTo(xAt(l + 1), yAt(l + 1, j));
        ctx.stroke();
        if (weights && edges <= 24) {
          const t = 0.3 + 0.4 * ((j + i) % 2);
          const x = xAt(l) + t * (xAt(l + 1) - xAt(l));
          const y = yAt(l, i) + t * (yAt(l + 1, j) - yAt(l, i));
          ctx.font = '10px system-ui, sans-serif';
          ctx.fillStyle = 'rgba(255,255,255,0.85)';
          ctx.fillRect(x - 14, y - 7, 28, 12);
          ctx.fillStyle = '#333';
          ctx.textAlign = 'center';
          ctx.fillText(w.toFixed(2), x, y + 3);
        }
      }
    }
  }
  // nodes: inputs plain, units coloured by their bias
  let maxB = 1e-6;
  if (weights) for (const layer of weights) for (const b of layer.b) maxB = Math.max(maxB, Math.abs(b));
  const labels = DATASETS[state.dataset]?.axes ?? ['x₁', 'x₂'];
  for (let l = 0; l < cols; l++) {
    for (let i = 0; i < sizes[l]; i++) {
      const x = xAt(l), y = yAt(l, i);
      const bias = weights && l > 0 ? weights[l - 1].b[i] : null;
      ctx.beginPath();
      ctx.arc(x, y, 13, 0, 2 * Math.PI);
      ctx.fillStyle = bias === null ? '#f2f2f2' : rgb(diverging(bias / maxB));
      ctx.fill();
      ctx.lineWidth = 1.5;
      ctx.strokeStyle = '#444';
      ctx.stroke();
      ctx.fillStyle = '#222';
      ctx.textAlign = 'center';
      ctx.font = '11px system-ui, sans-serif';
      if (l === 0) ctx.fillText(`x${'₁₂'[i]}`, x, y + 4);
      else if (l === cols - 1) ctx.fillText('ŷ', x, y + 4);
      if (bias !== null && sizes[l] <= 8) {
        ctx.font = '10px system-ui, sans-serif';
        ctx.fillStyle = '#555';
        ctx.fillText(`b ${bias.toFixed(2)}`, x, y + 25);
      }
    }
  }
  ctx.font = '11px system-ui, sans-serif';
  ctx.fillStyle = '#666';
  ctx.textAlign = 'left';
  ctx.fillText(`input: ${labels.join(', ')}`, 8, H - 8);
  ctx.textAlign = 'right';
  ctx.fillText('output: P(class 1), sigmoid', W - 8, H - 8);
}

function drawBoundary(grid) {
  const canvas = $('boundary');
  const ctx = canvas.getContext('2d');
  const { width: W, height: H } = canvas;
  ctx.clearRect(0, 0, W, H);
  if (!state.box) return;
  if (grid) {
    const image = ctx.createImageData(GRID, GRID);
    for (let k = 0; k < GRID * GRID; k++) {
      const [r, g, b] = diverging(2 * grid[k] - 1);
      image.data.set([r, g, b, 200], 4 * k);
    }
    const off = new OffscreenCanvas(GRID, GRID);
    off.getContext('2d').putImageData(image, 0, 0);
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(off, 0, 0, W, H);
  }
  const { x0, x1, y0, y1 } = state.box;
  const px = (v) => ((v - x0) / (x1 - x0)) * W;
  const py = (v) => H - ((v - y0) / (y1 - y0)) * H;
  const dots = (part, filled) => {
    for (let i = 0; i < part.rows; i++) {
      ctx.beginPath();
      ctx.arc(px(part.x[2 * i]), py(part.x[2 * i + 1]), 3, 0, 2 * Math.PI);
      const c = rgb(part.y[i] === 1 ? POS : NEG);
      ctx.fillStyle = filled ? c : 'white';
      ctx.fill();
      ctx.strokeStyle = filled ? '#222' : c;
      ctx.lineWidth = filled ? 0.7 : 1.8;
      ctx.stroke();
    }
  };
  dots(state.data.train, true);
  dots(state.data.validation, false);
}

function drawLoss() {
  const canvas = $('loss');
  const ctx = canvas.getContext('2d');
  const { width: W, height: H } = canvas;
  ctx.clearRect(0, 0, W, H);
  const L = 50, R = 12, T = 12, B = 30;
  const train = state.history, val = state.valHistory;
  const n = Math.max(train.length, 2);
  const max = Math.max(0.1, ...train.filter(Number.isFinite), ...val.filter(Number.isFinite));
  const x = (i) => L + (i / (n - 1)) * (W - L - R);
  const y = (v) => T + (1 - v / max) * (H - T - B);
  ctx.strokeStyle = '#999';
  ctx.lineWidth = 1;
  ctx.beginPath();
  ctx.moveTo(L, T);
  ctx.lineTo(L, H - B);
  ctx.lineTo(W - R, H - B);
  ctx.stroke();
  ctx.fillStyle = '#555';
  ctx.font = '11px system-ui, sans-serif';
  ctx.textAlign = 'right';
  for (let k = 0; k <= 4; k++) {
    const v = (max * k) / 4;
    ctx.fillText(v.toFixed(2), L - 6, y(v) + 4);
    ctx.strokeStyle = '#eee';
    ctx.beginPath();
    ctx.moveTo(L + 1, y(v));
    ctx.lineTo(W - R, y(v));
    ctx.stroke();
  }
  ctx.textAlign = 'center';
  ctx.fillText(`epoch (${train.length})`, (L + W - R) / 2, H - 8);
  const line = (values, color, dash) => {
    ctx.strokeStyle = color;
    ctx.lineWidth = 2;
    ctx.setLineDash(dash);
    ctx.beginPath();
    values.forEach((v, i) => (i === 0 ? ctx.moveTo(x(i), y(v)) : ctx.lineTo(x(i), y(v))));
    ctx.stroke();
    ctx.setLineDash([]);
  };
  line(train, '#333', []);
  line(val, '#c0392b', [6, 4]);
}

drawNetwork(null);
drawLoss();
