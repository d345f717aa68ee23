/** Vietnam keeps UTC+7 all year (no daylight saving time). */
const VIETNAM_OFFSET_MS = 7 * 3600_000;
const DAY_MS = 24 * 3600_000;

/** Hours of the Vietnam clock when no alert text leaves: from `from`:00 up to `to`:00, across midnight if need be. */
export interface QuietHours {
  from: number;
  to: number;
}

/** `22-7` → { from: 22, to: 7 }; `off` → null. The format is checked by the setting's pattern. */
export function parseQuietHours(value: string): QuietHours | null {
  if (value === 'off') return null;
  const [from, to] = value.split('-').map(Number);
  return { from, to };
}

/**
 * When a text written at `now` may leave: undefined at once, or the end of the quiet hours it falls in (the
 * next `to`:00 in Vietnam).
 */
export function quietUntil(now: Date, quiet: QuietHours | null): Date | undefined {
  if (!quiet) return undefined;
  // A date whose UTC fields read as Vietnam's wall clock.
  const local = new Date(now.getTime() + VIETNAM_OFFSET_MS);
  const hour = local.getUTCHours();
  const inside =
    quiet.from < quiet.to ? hour >= quiet.from && hour < quiet.to : hour >= quiet.from || hour < quiet.to;
  if (!inside) return undefined;
  const endToday = new Date(
    Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate(), quiet.to) - VIETNAM_OFFSET_MS,
  );
  return endToday > now ? endToday : new Date(endToday.getTime() + DAY_MS);
}
