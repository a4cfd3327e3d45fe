// The details pane of the selected torrent: a summary, its files, its peers and its piece map.

import * as fmt from './format.js';
import { drawPieceMap } from './piecemap.js';
import { progressBar, setProgress } from './table.js';

function cell(text, className) {
  const td = document.createElement('td');
  if (className) {
    td.className = className;
  }
  td.textContent = text;
  return td;
}

/** Files a browser's player can open (by extension). */
const PLAYABLE = /\.(mp4|m4v|webm|ogv|ogg|opus|mp3|m4a|wav|flac)$/i;

function term(dl, name, value) {
  const dt = document.createElement('dt');
  dt.textContent = name;
  const dd = document.createElement('dd');
  dd.textContent = value;
  dd.title = value; // long paths are cut on screen
  dl.append(dt, dd);
  return dd;
}

export class DetailsPane {
  constructor(root) {
    this.root = root;
    this.title = root.querySelector('#details-title');
    this.summary = root.querySelector('#details-summary');
    this.files = root.querySelector('#files tbody');
    this.peers = root.querySelector('#peers tbody');
    this.noPeers = root.querySelector('#no-peers');
    this.canvas = root.querySelector('#piece-map');
    this.pieceCount = root.querySelector('#piece-count');
    /** Called with (file index, priority) when the user picks a file's priority. */
    this.onPriority = null;
    this.playerBox = root.querySelector('#player-box');
    this.player = root.querySelector('#player');
    this.playerTitle = root.querySelector('#player-title');
  }

  /** Plays file {@code index} of the shown torrent in the pane's player, streamed as it downloads. */
  play(index, path) {
    const hash = this.root.dataset.infoHash;
    this.playerBox.hidden = false;
    this.playerTitle.textContent = `Playing ${path}`;
    this.player.src = `/stream/${hash}/${index}`;
    this.player.dataset.file = String(index);
    this.player.play().catch(() => { /* the user presses play: browsers may refuse to start on their own */ });
  }

  stopPlayer() {
    this.player.pause();
    this.player.removeAttribute('src');
    this.player.load();
    this.playerBox.hidden = true;
  }

  get open() {
    return !this.root.hidden;
  }

  close() {
    this.stopPlayer();
    this.root.hidden = true;
    delete this.root.dataset.infoHash;
  }

  /** Shows the API's TorrentDetails. */
  show(d) {
    const t = d.torrent;
    this.root.hidden = false;
    this.root.dataset.infoHash = t.info_hash;
    this.root.dataset.state = t.state;
    this.title.textContent = t.name;
    this.renderSummary(d);
    this.renderFiles(d);
    this.renderPeers(d.peers);
    this.renderPieces(d);
  }

  renderSummary(d) {
    const t = d.torrent;
    const dl = document.createDocumentFragment();
    term(dl, 'Info hash', t.info_hash).className = 'mono';
    term(dl, 'Saved in', t.save_dir || '–').className = 'mono';
    term(dl, 'Added from', t.origin || '–');
    term(dl, 'Downloaded', fmt.bytes(t.downloaded_bytes));
    term(dl, 'Uploaded', fmt.bytes(t.uploaded_bytes));
    term(dl, 'Verified', `${fmt.bytes(t.verified_bytes)} of ${t.size_bytes > 0 ? fmt.bytes(t.size_bytes) : '?'}`);
    if (d.magnet) {
      const dd = term(dl, 'Magnet', '');
      const input = document.createElement('input');
      input.type = 'text';
      input.readOnly = true;
      input.value = d.magnet;
      input.className = 'mono magnet';
      input.setAttribute('aria-label', 'Magnet link');
      input.addEventListener('focus', () => input.select());
      dd.append(input);
      dd.removeAttribute('title');
    }
    if (t.error) {
      term(dl, 'Problem', t.error).className = 'problem';
    }
    this.summary.replaceChildren(dl);
  }

  renderFiles(d) {
    if (this.files.contains(document.activeElement) && document.activeElement.tagName === 'SELECT') {
      return; // the user is choosing a priority: a refresh must not replace the list under them
    }
    const rows = d.files.map((f) => {
      const tr = document.createElement('tr');
      tr.className = 'file';
      tr.dataset.progress = String(f.progress);
      const bar = progressBar();
      setProgress(bar, f.progress, f.progress >= 1);
      const progress = cell('', 'progress-col');
      progress.append(bar);
      tr.dataset.priority = f.priority;
      const choice = document.createElement('select');
      choice.className = 'priority';
      choice.setAttribute('aria-label', `Priority of ${f.path}`);
      for (const p of ['skip', 'low', 'normal', 'high']) {
        const option = document.createElement('option');
        option.value = p;
        option.textContent = p;
        option.selected = p === f.priority;
        choice.append(option);
      }
      choice.addEventListener('change', () => {
        if (this.onPriority) {
          this.onPriority(f.index, choice.value);
        }
        choice.blur();
      });
      const priority = cell('');
      priority.append(choice);
      if (PLAYABLE.test(f.path)) {
        const play = document.createElement('button');
        play.type = 'button';
        play.className = 'play';
        play.textContent = 'Play';
        play.title = 'Play it here while it downloads';
        play.addEventListener('click', () => this.play(f.index, f.path));
        priority.append(play);
      }
      tr.append(cell(f.path, 'path mono'), cell(fmt.bytes(f.size_bytes), 'num'), progress, priority);
      if (f.priority === 'skip') {
        tr.classList.add('skipped');
      }
      return tr;
    });
    this.files.replaceChildren(...rows);
  }

  renderPeers(peers) {
    const rows = peers.map((p) => {
      const tr = document.createElement('tr');
      tr.className = 'peer';
      tr.append(cell(p.address, 'mono'), cell(p.flags, 'mono flags'), cell(fmt.rate(p.down_rate), 'num'),
        cell(fmt.rate(p.up_rate), 'num'), cell(fmt.percent(p.progress), 'num'));
      return tr;
    });
    this.peers.replaceChildren(...rows);
    this.noPeers.hidden = peers.length > 0;
  }

  renderPieces(d) {
    const verified = drawPieceMap(this.canvas, d.pieces, d.piece_count);
    const text = d.piece_count > 0
      ? `${verified} of ${fmt.count(d.piece_count, 'piece')} verified, ${fmt.bytes(d.piece_size_bytes)} each`
      : 'not known yet (waiting for the metadata)';
    this.pieceCount.textContent = text.charAt(0).toUpperCase() + text.slice(1);
    this.canvas.setAttribute('aria-label', `piece map: ${text}`);
    this.canvas.dataset.verified = String(verified);
    this.canvas.dataset.pieceCount = String(d.piece_count);
  }
}
