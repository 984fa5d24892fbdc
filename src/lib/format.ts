import type { SpeedProfile } from '../api/types.ts';

const mbit = (v: number | null | undefined) =>
  v === undefined ? 'not reported' : v === null ? 'unlimited' : v >= 1000 && v % 1000 === 0 ? `${v / 1000} Gbit/s` : `${v} Mbit/s`;

/** The one way speeds are written: "up 100 Mbit/s, down unlimited" (null is unlimited, absent is not reported). */
export const formatSpeeds = (p: Pick<SpeedProfile, 'upload_speed_in_mbit' | 'download_speed_in_mbit'>) =>
  `up ${mbit(p.upload_speed_in_mbit)}, down ${mbit(p.download_speed_in_mbit)}`;

/** "12 s", "3 min 4 s": a duration as the task view and the lock notice say it. */
export const formatDuration = (ms: number) => {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`;
};

/** The one way a speed profile is named: its name, else its permalink, else its id (callers word the absence). */
export const profileName = (p: { id?: string | null | undefined; name?: string | null | undefined; permalink?: string | null | undefined } | null | undefined) =>
  p?.name ?? p?.permalink ?? p?.id ?? undefined;
