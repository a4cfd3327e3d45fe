// The web UI: wires the add forms, the torrents table and the details pane to the daemon's API, and keeps
// the table live from the server-sent event stream (GET /api/v1/events, one `torrents` event a second).

import { api, base64 } from './api.js';
import * as fmt from './format.js';
import { TorrentsTable } from './table.js';
import { DetailsPane } from './details.js';

const $ = (sel) => document.querySelector(sel);
const STALE_MS = 5000; // events come every second; this long without one means the stream is stuck
const RETRY_MIN_MS = 1000;
const RETRY_MAX_MS = 15000;
const PROBE_TIMEOUT_MS = 5000; // a daemon that hangs (or a half-open connection) must not freeze the state
const REMOVED_GRACE_MS = 3000; // an event sampled before a remove may still arrive just after it

let list = [];
const removed = new Map(); // info_hash -> when it was removed here

const table = new TorrentsTable($('#torrents'), {
  select: (hash) => select(hash),
  pause: (hash) => act(api.pause(hash), 'Paused'),
  resume: (hash) => act(api.resume(hash), 'Resumed'),
  remove: (hash, name) => askRemove(hash, name),
});
const details = new DetailsPane($('#details'));
details.onPriority = async (index, priority) => {
  const hash = table.selected;
  try {
    const d = await api.files(hash, { priority, files: [index] });
    clearError();
    upsert(d.torrent);
    if (table.selected === hash) {
      details.show(d);
    }
    notice(`${d.files.find((f) => f.index === index)?.path ?? 'The file'} is now ${priority}.`);
  } catch (e) {
    showError(`Cannot change the priority: ${e.message}`);
  }
};

// ---- messages ----

function showError(message) {
  const box = $('#errors');
  const item = document.createElement('p');
  item.className = 'error';
  item.textContent = message;
  const close = document.createElement('button');
  close.type = 'button';
  close.className = 'dismiss';
  close.textContent = '×';
  close.setAttribute('aria-label', 'Dismiss this message');
  close.addEventListener('click', () => item.remove());
  item.append(close);
  box.replaceChildren(item);
}

function clearError() {
  $('#errors').replaceChildren();
}

let noticeTimer = 0;

function notice(message) {
  $('#notice').textContent = message;
  clearTimeout(noticeTimer);
  noticeTimer = setTimeout(() => { $('#notice').textContent = ''; }, 6000);
}

// ---- the list ----

function render(next) {
  const now = Date.now();
  for (const [hash, at] of removed) {
    if (now - at > REMOVED_GRACE_MS) {
      removed.delete(hash);
    }
  }
  list = next.filter((t) => !removed.has(t.info_hash));
  table.render(list);
  $('#empty').hidden = list.length > 0;
  const sum = (k) => list.reduce((n, t) => n + (t[k] || 0), 0);
  $('#total-down').textContent = fmt.rate(sum('down_rate'));
  $('#total-up').textContent = fmt.rate(sum('up_rate'));
  $('#total-peers').textContent = fmt.count(sum('peers'), 'peer');
  if (details.open && !list.some((t) => t.info_hash === table.selected)) {
    closeDetails();
  }
}

function upsert(view) {
  removed.delete(view.info_hash);
  render([...list.filter((t) => t.info_hash !== view.info_hash), view]);
}

async function act(promise, verb) {
  try {
    const view = await promise;
    clearError();
    upsert(view);
    notice(`${verb} ${view.name}.`);
    refreshDetails();
  } catch (e) {
    showError(`${verb.replace(/d$/, '')} failed: ${e.message}`);
  }
}

// ---- details ----

let detailsBusy = false;

async function select(hash) {
  table.select(hash);
  await refreshDetails(true);
  $('#details').scrollIntoView({ block: 'nearest' });
}

async function refreshDetails(force) {
  const hash = table.selected;
  if (!hash || (!details.open && !force) || detailsBusy) {
    return;
  }
  detailsBusy = true;
  try {
    const d = await api.details(hash);
    if (table.selected === hash) {
      details.show(d);
    }
  } catch (e) {
    if (e.status === 404) {
      closeDetails();
    } else {
      showError(`Cannot show the details: ${e.message}`);
    }
  } finally {
    detailsBusy = false;
  }
}

function closeDetails() {
  table.select(null);
  details.close();
}

$('#details-close').addEventListener('click', closeDetails);

// ---- remove ----

function askRemove(hash, name) {
  const dialog = $('#remove-dialog');
  $('#remove-name').textContent = name;
  $('#remove-data').checked = false;
  $('#remove-warning').hidden = true;
  dialog.dataset.infoHash = hash;
  dialog.returnValue = '';
  dialog.showModal();
}

$('#remove-data').addEventListener('change', (e) => {
  $('#remove-warning').hidden = !e.target.checked;
});

$('#remove-dialog').addEventListener('close', async () => {
  const dialog = $('#remove-dialog');
  if (dialog.returnValue !== 'remove') {
    return;
  }
  const hash = dialog.dataset.infoHash;
  const deleteData = $('#remove-data').checked;
  try {
    const view = await api.remove(hash, deleteData);
    clearError();
    removed.set(hash, Date.now());
    render(list);
    notice(`Removed ${view.name}${deleteData ? ' and deleted its files' : '; its files are kept'}.`);
  } catch (e) {
    showError(`Remove failed: ${e.message}`);
  }
});

// ---- adding ----

/** The options that go with any add: peers to dial, where to save, paused. */
function options() {
  const out = {};
  const peers = $('#peers-input').value.split(/[\s,]+/).filter((p) => p.length > 0);
  if (peers.length > 0) {
    out.peers = peers;
  }
  const saveDir = $('#save-dir').value.trim();
  if (saveDir) {
    out.save_dir = saveDir;
  }
  if ($('#start-paused').checked) {
    out.paused = true;
  }
  return out;
}

async function add(request, what) {
  try {
    const result = await api.add(request);
    clearError();
    upsert(result.torrent);
    notice(result.existed ? `${result.torrent.name} is already in the list.` : `Added ${result.torrent.name}.`);
    return true;
  } catch (e) {
    showError(`Cannot add ${what}: ${e.message}`);
    return false;
  }
}

async function addFile(file) {
  if (!file) {
    return;
  }
  let bytes;
  try {
    bytes = await file.arrayBuffer();
  } catch (e) {
    showError(`Cannot read ${file.name}: ${e.message}`);
    return;
  }
  await add({ torrent: base64(bytes), ...options() }, file.name);
}

$('#torrent-file').addEventListener('change', async (e) => {
  const input = e.target;
  for (const file of input.files) {
    await addFile(file);
  }
  input.value = '';
});

$('#add-file').addEventListener('submit', (e) => e.preventDefault());

// a .torrent dropped anywhere on the page
document.addEventListener('dragover', (e) => {
  if (e.dataTransfer && [...e.dataTransfer.types].includes('Files')) {
    e.preventDefault();
    document.body.classList.add('dragging');
  }
});
document.addEventListener('dragleave', (e) => {
  if (e.relatedTarget === null) {
    document.body.classList.remove('dragging');
  }
});
document.addEventListener('drop', async (e) => {
  document.body.classList.remove('dragging');
  if (!e.dataTransfer || e.dataTransfer.files.length === 0) {
    return;
  }
  e.preventDefault();
  for (const file of e.dataTransfer.files) {
    await addFile(file);
  }
});

$('#add-link').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('#link-input');
  const text = input.value.trim();
  if (!text) {
    showError('Paste a magnet link or an info hash first.');
    return;
  }
  const request = text.toLowerCase().startsWith('magnet:') ? { magnet: text } : { info_hash: text };
  if (await add({ ...request, ...options() }, 'this link')) {
    input.value = '';
  }
});

$('#add-share').addEventListener('submit', async (e) => {
  e.preventDefault();
  const input = $('#share-path');
  const path = input.value.trim();
  if (!path.startsWith('/') && !/^[A-Za-z]:[\\/]/.test(path)) {
    showError('Give the absolute path of the file or folder to share (it starts with /).');
    return;
  }
  const request = { share: path };
  if ($('#start-paused').checked) {
    request.paused = true;
  }
  if (await add(request, path)) {
    input.value = '';
  }
});

$('#add-name').addEventListener('submit', async (e) => {
  e.preventDefault();
  const name = $('#name-input').value.trim();
  const server = $('#server-input').value.trim();
  if (!name || !server) {
    showError('Give both the exact name and the metadata server (host:port).');
    return;
  }
  if (await add({ name, server, ...options() }, name)) {
    $('#name-input').value = '';
  }
});

// ---- the live stream ----

let source = null;
let lastEvent = 0;
let retryMs = RETRY_MIN_MS;
let retryTimer = 0;

function setLink(state, text) {
  const link = $('#link');
  link.dataset.state = state;
  link.textContent = text;
}

function connect() {
  clearTimeout(retryTimer);
  if (source) {
    source.close();
  }
  source = new EventSource('/api/v1/events');
  source.addEventListener('torrents', (e) => {
    lastEvent = Date.now();
    link().dataset.lastEvent = String(lastEvent);
    retryMs = RETRY_MIN_MS;
    if (link().dataset.state !== 'live') {
      setLink('live', 'live');
    }
    render(JSON.parse(e.data));
    refreshDetails();
  });
  source.addEventListener('error', () => {
    // EventSource retries by itself after a dropped stream, but gives up on an HTTP error (401 after a
    // restart with a new token, 503 while starting): then we retry, and say why when we can tell.
    if (source.readyState === EventSource.CLOSED) {
      reconnectLater();
    } else {
      setLink('reconnecting', 'connection lost: reconnecting…');
    }
  });
}

const link = () => $('#link');

async function reconnectLater() {
  if (source) {
    source.close();
  }
  source = null;
  setLink('reconnecting', 'connection lost: reconnecting…');
  let why = 'the daemon does not answer';
  try {
    await api.session(PROBE_TIMEOUT_MS);
    why = 'the event stream stopped';
  } catch (e) {
    why = e.status === 401 ? 'not logged in: open /login?token=TOKEN (the file "token" in the daemon\'s state folder)' : e.message;
  }
  setLink('offline', `offline (${why}); retrying in ${Math.round(retryMs / 1000)} s…`);
  retryTimer = setTimeout(connect, retryMs);
  retryMs = Math.min(RETRY_MAX_MS, retryMs * 2);
}

setInterval(() => {
  if (source && lastEvent && Date.now() - lastEvent > STALE_MS && link().dataset.state === 'live') {
    lastEvent = 0;
    reconnectLater();
  }
}, 1000);

async function start() {
  try {
    const session = await api.session();
    const where = [session.tcp && `peers on ${session.tcp}`, session.udp && `DHT on ${session.udp}`]
      .filter(Boolean).join(', ');
    $('#listen').textContent = where;
  } catch (e) {
    if (e.status === 401) {
      setLink('offline', 'not logged in');
      showError('Not logged in: open this address with /login?token=TOKEN, where TOKEN is the file "token" in the '
        + 'daemon\'s state folder.');
    }
  }
  connect();
}

start();
