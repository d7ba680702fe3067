/** How numbers read on every page: counts with separators, rates as percentages to 0.1, durations in ms. */
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export const NONE = '—';

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? NONE : whole.format(value);
}

/** A fraction in [0, 1] as `90.4%`. */
export function formatRate(value: number | null | undefined): string {
  return value === null || value === undefined ? NONE : `${(value * 100).toFixed(1)}%`;
}

export function formatMs(value: number | null | undefined): string {
  return value === null || value === undefined ? NONE : `${whole.format(Math.round(value))} ms`;
}

/** An age in ms as `2 h 5 min`, `3 min 20 s`, `12 s`. */
export function formatAge(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return NONE;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min ${seconds % 60} s`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** An ISO-8601 instant in the reader's time zone, to the second. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return NONE;
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { hour12: false });
}

/** `HH:MM` of a minute, for chart labels. */
export function formatMinute(iso: string): string {
  return new Date(iso).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', hour12: false });
}
