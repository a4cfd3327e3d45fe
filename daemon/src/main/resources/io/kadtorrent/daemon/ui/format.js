// How numbers are shown: binary units (KiB, MiB, GiB) everywhere, as the CLI does.

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** 1536 -> "1.5 KiB"; whole bytes below 1 KiB. */
export function bytes(n) {
  if (!Number.isFinite(n) || n < 0) {
    return '–';
  }
  let unit = 0;
  let v = n;
  while (v >= 1024 && unit < UNITS.length - 1) {
    v /= 1024;
    unit++;
  }
  if (unit === 0) {
    return `${v} B`;
  }
  return `${v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0)} ${UNITS[unit]}`;
}

/** Bytes per second; an idle rate is shown as a dash so that the moving ones stand out. */
export function rate(bytesPerSecond) {
  return bytesPerSecond > 0 ? `${bytes(bytesPerSecond)}/s` : '–';
}

/** 0..1 -> "42.5 %"; 100 % only when the whole torrent is verified. */
export function percent(fraction) {
  const p = Math.max(0, Math.min(1, fraction || 0)) * 100;
  if (p >= 100) {
    return '100 %';
  }
  return `${Math.min(p, 99.9).toFixed(1)} %`;
}

export function ratio(r) {
  return Number.isFinite(r) ? r.toFixed(2) : '∞';
}

/** Seconds left -> "3 h 05 min", "4 min 10 s", "12 s"; null (unknown or done) -> a dash. */
export function eta(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) {
    return '–';
  }
  const s = Math.max(0, Math.round(seconds));
  if (s >= 86400) {
    return `${Math.floor(s / 86400)} d ${Math.floor((s % 86400) / 3600)} h`;
  }
  if (s >= 3600) {
    return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')} min`;
  }
  if (s >= 60) {
    return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
  }
  return `${s} s`;
}

/** "1 peer", "2 peers". */
export function count(n, noun) {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
