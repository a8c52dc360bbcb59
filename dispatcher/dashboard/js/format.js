// Display of times, durations, money and enum values. Times arrive as
// protobuf JSON timestamps (RFC 3339, UTC) and are shown in Asia/Shanghai
// with the date; money arrives as integer fen (int64, a JSON string) and is
// shown in yuan without ever passing through a float.
import { currentLanguage } from './i18n.js';

export const kZone = 'Asia/Shanghai';

const formatters = new Map();
function formatter(options) {
  const key = currentLanguage() + JSON.stringify(options);
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(currentLanguage() === 'en' ? 'en-GB' : 'zh-CN', { timeZone: kZone, hourCycle: 'h23', ...options });
    formatters.set(key, f);
  }
  return f;
}

// Milliseconds since the epoch of a protobuf timestamp, or null when unset.
export function millis(timestamp) {
  if (!timestamp) return null;
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) || ms <= 0 ? null : ms;
}

// "2026-12-03 08:15:02" in Asia/Shanghai.
export function dateTime(timestamp) {
  const ms = typeof timestamp === 'number' ? timestamp : millis(timestamp);
  if (ms === null) return '';
  const parts = Object.fromEntries(
    formatter({ year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}:${parts.second}`;
}

// The calendar day ("YYYY-MM-DD") in Asia/Shanghai of an instant.
export function zoneDay(ms) {
  const parts = Object.fromEntries(
    formatter({ year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}

// "1:02:03", "-0:00:12" for a signed number of milliseconds (whole seconds,
// rounded towards the deadline so that 0 shows only at the deadline).
export function countdown(ms) {
  const negative = ms < 0;
  const total = Math.floor(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  return `${negative ? '-' : ''}${h}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

// "¥1,234.50" from fen given as a number or a decimal string.
export function money(fen) {
  if (fen === undefined || fen === null || fen === '') fen = 0;
  let value = BigInt(fen);
  const negative = value < 0n;
  if (negative) value = -value;
  const yuan = (value / 100n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const cents = String(value % 100n).padStart(2, '0');
  return `${negative ? '-' : ''}¥${yuan}.${cents}`;
}

// A protobuf JSON integer (uint64 fields arrive as strings) as a number.
export function int(value) {
  if (value === undefined || value === null || value === '') return 0;
  return Number(value);
}

// Escapes text for HTML: every string from the server goes through this.
export function esc(value) {
  return String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
}
