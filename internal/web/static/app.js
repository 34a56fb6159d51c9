'use strict';

// The page only draws and displays: the server turns the canvas into the
// model's 28×28 input, the same way for every picture it is sent.

const SIDE = 28;          // MNIST images are SIDE×SIDE
const THROTTLE_MS = 250;  // at most one request per THROTTLE_MS while drawing
const STROKE = 20;        // pen width in pad pixels (the pad is 280 wide)

const pad = document.getElementById('pad');
const ctx = pad.getContext('2d');
const result = document.getElementById('result');
const digitEl = document.getElementById('digit');
const microsEl = document.getElementById('micros');
const statusEl = document.getElementById('status');

const bars = [];
for (let d = 0; d < 10; d++) {
  const li = document.createElement('li');
  li.innerHTML = `<span>${d}</span><span class="track"><span class="fill"></span></span><span class="pct"></span>`;
  document.getElementById('bars').append(li);
  bars.push({ li, fill: li.querySelector('.fill'), pct: li.querySelector('.pct') });
}

function blankPad() {
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, pad.width, pad.height);
}

function show(p) {
  digitEl.textContent = p.digit;
  microsEl.textContent = `${p.micros} µs server inference`;
  p.probabilities.forEach((q, d) => {
    const pct = `${(100 * q).toFixed(1)}%`;
    bars[d].fill.style.width = pct;
    bars[d].pct.textContent = pct;
    bars[d].li.classList.toggle('top', d === p.digit);
  });
}

function reset() {
  digitEl.textContent = '?';
  microsEl.textContent = 'draw to start';
  statusEl.textContent = '';
  for (const b of bars) {
    b.fill.style.width = '0';
    b.pct.textContent = '';
    b.li.classList.remove('top');
  }
}

// Requests: one at a time; while one runs, only the latest drawing waits,
// so a slow server never builds a queue. Clearing bumps the generation,
// which discards answers about the drawing that was cleared.
let inFlight = false;
let queued = null;
let generation = 0;

async function send(makeBody) {
  if (inFlight) {
    queued = makeBody;
    return;
  }
  inFlight = true;
  result.setAttribute('aria-busy', 'true');
  const gen = generation;
  try {
    const { body, type } = await makeBody();
    const res = await fetch('/api/predict', { method: 'POST', headers: { 'Content-Type': type }, body });
    const answer = await res.json();
    if (gen !== generation) return;
    if (!res.ok) throw new Error(answer.error || res.statusText);
    show(answer);
    statusEl.textContent = '';
  } catch (err) {
    if (gen === generation) statusEl.textContent = err.message;
  } finally {
    inFlight = false;
    const next = queued;
    queued = null;
    if (next) send(next);
    else result.setAttribute('aria-busy', 'false');
  }
}

const canvasPNG = () => new Promise((resolve, reject) => pad.toBlob(blob =>
  blob ? resolve({ body: blob, type: 'image/png' }) : reject(new Error('the canvas could not be encoded')), 'image/png'));

let lastSent = 0;
let timer = null;

function sendSoon() {
  if (timer !== null) return;
  timer = setTimeout(() => {
    timer = null;
    lastSent = performance.now();
    send(canvasPNG);
  }, Math.max(0, lastSent + THROTTLE_MS - performance.now()));
}

function sendNow() {
  clearTimeout(timer);
  timer = null;
  lastSent = performance.now();
  send(canvasPNG);
}

// Drawing with pointer events: mouse, pen and touch alike.
ctx.lineWidth = STROKE;
ctx.lineCap = 'round';
ctx.lineJoin = 'round';
ctx.strokeStyle = ctx.fillStyle = '#000';
let stroke = null; // the pointerId drawing now
let last = null;

function at(e) {
  const r = pad.getBoundingClientRect();
  return [(e.clientX - r.left) * pad.width / r.width, (e.clientY - r.top) * pad.height / r.height];
}

pad.addEventListener('pointerdown', e => {
  if (stroke !== null || (e.pointerType === 'mouse' && e.button !== 0)) return;
  e.preventDefault();
  stroke = e.pointerId;
  pad.setPointerCapture(e.pointerId);
  last = at(e);
  ctx.fillStyle = '#000';
  ctx.beginPath();
  ctx.arc(last[0], last[1], STROKE / 2, 0, 2 * Math.PI);
  ctx.fill();
});

pad.addEventListener('pointermove', e => {
  if (e.pointerId !== stroke) return;
  const points = e.getCoalescedEvents ? e.getCoalescedEvents() : [];
  ctx.beginPath();
  ctx.moveTo(...last);
  for (const p of points.length ? points : [e]) {
    last = at(p);
    ctx.lineTo(...last);
  }
  ctx.stroke();
  sendSoon();
});

for (const type of ['pointerup', 'pointercancel']) {
  pad.addEventListener(type, e => {
    if (e.pointerId !== stroke) return;
    stroke = null;
    sendNow();
  });
}

document.getElementById('clear').addEventListener('click', () => {
  generation++;
  queued = null;
  clearTimeout(timer);
  timer = null;
  blankPad();
  reset();
});

// The gallery: MNIST test digits, drawn ink on paper like the pad. A click
// sends the digit's own 784 pixels, exactly the model's input.
function paint(canvas, pixels) {
  const img = new ImageData(SIDE, SIDE);
  pixels.forEach((v, i) => {
    const g = 255 - Math.round(255 * v);
    img.data.set([g, g, g, 255], 4 * i);
  });
  canvas.getContext('2d').putImageData(img, 0, 0);
}

async function loadExamples() {
  const res = await fetch('/api/examples');
  if (!res.ok) throw new Error(`${res.status} ${res.statusText}`);
  for (const ex of await res.json()) {
    const thumb = document.createElement('canvas');
    thumb.width = thumb.height = SIDE;
    paint(thumb, ex.pixels);
    const button = document.createElement('button');
    button.type = 'button';
    button.title = `MNIST test image ${ex.index}, labelled ${ex.label}`;
    button.setAttribute('aria-label', button.title);
    button.dataset.label = ex.label;
    button.append(thumb);
    button.addEventListener('click', () => {
      generation++;
      blankPad();
      ctx.drawImage(thumb, 0, 0, pad.width, pad.height);
      send(() => ({ body: JSON.stringify({ pixels: ex.pixels }), type: 'application/json' }));
    });
    document.getElementById('examples').append(button);
  }
}

blankPad();
reset();
loadExamples().catch(err => { statusEl.textContent = `gallery: ${err.message}`; });
