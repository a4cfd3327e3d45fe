// The torrents table. Rows are keyed by info_hash and updated in place, so a button keeps its focus
// (and a test its element) while the list refreshes every second.

import * as fmt from './format.js';

const PAUSABLE = new Set(['metadata', 'checking', 'downloading', 'seeding']);

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}

/** A progress bar with its text on it; also used by the files table. */
export function progressBar() {
  const bar = el('div', 'bar');
  bar.setAttribute('role', 'progressbar');
  bar.setAttribute('aria-valuemin', '0');
  bar.setAttribute('aria-valuemax', '100');
  bar.append(el('div', 'fill'), el('span', 'bar-label'));
  return bar;
}

export function setProgress(bar, fraction, done) {
  const label = fmt.percent(fraction);
  bar.firstChild.style.width = `${Math.max(0, Math.min(1, fraction)) * 100}%`;
  bar.lastChild.textContent = label;
  bar.setAttribute('aria-valuenow', (Math.max(0, Math.min(1, fraction)) * 100).toFixed(1));
  bar.setAttribute('aria-valuetext', label);
  bar.classList.toggle('done', done);
}

export class TorrentsTable {
  /**
   * @param table   the <table> element
   * @param actions {select(hash), pause(hash), resume(hash), remove(hash, name)}
   */
  constructor(table, actions) {
    this.body = table.tBodies[0];
    this.actions = actions;
    this.rows = new Map();
    this.selected = null;
  }

  /** Shows exactly {@code list}: new rows added, gone ones removed, the rest updated. */
  render(list) {
    const sorted = [...list].sort((a, b) => (a.added_at - b.added_at) || a.name.localeCompare(b.name));
    const seen = new Set();
    let created = false;
    sorted.forEach((t, i) => {
      seen.add(t.info_hash);
      let row = this.rows.get(t.info_hash);
      if (!row) {
        row = this.createRow(t.info_hash);
        this.rows.set(t.info_hash, row);
        created = true;
      }
      this.update(row, t);
      if (this.body.children[i] !== row) {
        this.body.insertBefore(row, this.body.children[i] || null);
      }
    });
    for (const [hash, row] of this.rows) {
      if (!seen.has(hash)) {
        row.remove();
        this.rows.delete(hash);
      }
    }
    if (created && this.selected) {
      this.select(this.selected);
    }
  }

  select(hash) {
    this.selected = hash;
    for (const [h, row] of this.rows) {
      row.classList.toggle('selected', h === hash);
      if (h === hash) {
        row.setAttribute('aria-current', 'true');
      } else {
        row.removeAttribute('aria-current');
      }
    }
  }

  createRow(hash) {
    const row = el('tr', 'torrent');
    row.dataset.infoHash = hash;
    const name = el('td', 'name');
    const open = el('button', 'name-button');
    open.type = 'button';
    open.title = 'Show files, peers and pieces';
    open.addEventListener('click', () => this.actions.select(hash));
    name.append(open, el('div', 'row-error'));
    const progress = el('td', 'progress-col');
    progress.append(progressBar());
    const state = el('td', 'state-col');
    state.append(el('span', 'state'));
    const buttons = el('td', 'actions');
    const toggle = el('button', 'toggle');
    toggle.type = 'button';
    toggle.addEventListener('click', () => {
      const action = toggle.dataset.action;
      this.actions[action](hash);
    });
    const remove = el('button', 'remove', 'Remove');
    remove.type = 'button';
    remove.addEventListener('click', () => this.actions.remove(hash, row.dataset.name));
    buttons.append(toggle, remove);
    row.append(name, el('td', 'num size'), progress, state, el('td', 'num down'), el('td', 'num up'),
      el('td', 'num peers'), el('td', 'num ratio'), el('td', 'num eta'), buttons);
    return row;
  }

  update(row, t) {
    row.dataset.name = t.name;
    row.dataset.state = t.state;
    row.dataset.progress = String(t.progress);
    const q = (sel) => row.querySelector(sel);
    q('.name-button').textContent = t.name;
    q('.name-button').setAttribute('aria-label', `Details of ${t.name}`);
    q('.row-error').textContent = t.error && t.error !== t.state ? t.error : '';
    q('.size').textContent = t.size_bytes > 0 ? fmt.bytes(t.size_bytes) : '?';
    setProgress(q('.bar'), t.progress, t.progress >= 1);
    const state = q('.state');
    state.textContent = t.state;
    state.className = `state state-${t.state.replace(/\s+/g, '-')}`;
    q('.down').textContent = fmt.rate(t.down_rate);
    q('.up').textContent = fmt.rate(t.up_rate);
    q('.peers').textContent = String(t.peers);
    q('.ratio').textContent = fmt.ratio(t.ratio);
    q('.eta').textContent = t.state === 'downloading' ? fmt.eta(t.eta_seconds) : '–';
    const toggle = q('.toggle');
    const pausable = PAUSABLE.has(t.state);
    toggle.dataset.action = pausable ? 'pause' : 'resume';
    toggle.textContent = pausable ? 'Pause' : t.state === 'paused' ? 'Resume' : 'Retry';
    toggle.setAttribute('aria-label', `${toggle.textContent} ${t.name}`);
    q('.remove').setAttribute('aria-label', `Remove ${t.name}`);
  }
}
