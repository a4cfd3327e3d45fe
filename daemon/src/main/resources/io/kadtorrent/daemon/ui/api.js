// The daemon's control API, seen from the page: same origin, authorised by the cookie set at /login.
// The browser adds our Origin to every POST and DELETE, which the daemon requires of cookie-only changes.

const BASE = '/api/v1';

/** A failed call, with the daemon's own words ({"error": ...}) when it gave any. */
export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** {@code timeoutMs}: give up after that long (only for probes: an add that hashes a big folder takes long). */
async function call(method, path, body, timeoutMs) {
  const init = { method, credentials: 'same-origin', headers: {} };
  if (timeoutMs) {
    init.signal = AbortSignal.timeout(timeoutMs);
  }
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(BASE + path, init);
  } catch (e) {
    throw new ApiError(0, e.name === 'TimeoutError' ? 'the daemon does not answer in time'
      : 'the daemon does not answer (is it still running?)');
  }
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch (e) {
    // not JSON: keep the status line
  }
  if (!res.ok) {
    const why = json && typeof json.error === 'string' ? json.error : `${res.status} ${res.statusText}`;
    throw new ApiError(res.status, res.status === 401 ? `${why}. Log in again at /login?token=TOKEN (the file 'token' in the daemon's state folder).` : why);
  }
  return json;
}

const id = (infoHash) => encodeURIComponent(infoHash);

export const api = {
  list: () => call('GET', '/torrents'),
  session: (timeoutMs) => call('GET', '/session', undefined, timeoutMs),
  details: (infoHash) => call('GET', `/torrents/${id(infoHash)}`),
  /** {torrent | magnet | info_hash | name+server | share, save_dir?, paused?, peers?} -> {torrent, existed} */
  add: (request) => call('POST', '/torrents', request),
  pause: (infoHash) => call('POST', `/torrents/${id(infoHash)}/pause`),
  resume: (infoHash) => call('POST', `/torrents/${id(infoHash)}/resume`),
  /** {priority: skip|low|normal|high, files: [index...]} -> TorrentDetails */
  files: (infoHash, request) => call('POST', `/torrents/${id(infoHash)}/files`, request),
  remove: (infoHash, deleteData) => call('DELETE', `/torrents/${id(infoHash)}?delete_data=${deleteData ? 'true' : 'false'}`),
};

/** Bytes -> base64, in slices so that a large .torrent does not overflow the argument list. */
export function base64(buffer) {
  const bytes = new Uint8Array(buffer);
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}
