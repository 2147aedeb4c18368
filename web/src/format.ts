/** Dates and times as the city reads them: China time, whatever the phone's zone. */
const CITY_TIME_ZONE = 'Asia/Shanghai';

export function formatDateTime(iso: string, locale: string): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone: CITY_TIME_ZONE,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));
}

export function formatDate(isoOrDay: string, locale: string): string {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(isoOrDay)
    ? new Date(`${isoOrDay}T00:00:00+08:00`)
    : new Date(isoOrDay);
  return new Intl.DateTimeFormat(locale, {
    timeZone: CITY_TIME_ZONE,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  }).format(date);
}

/** The city's calendar day of an instant, YYYY-MM-DD. */
export function cityDay(instant: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: CITY_TIME_ZONE }).format(instant);
}

/** The instant a city day starts: what the services' from/to take. */
export function startOfCityDay(day: string): string {
  return new Date(`${day}T00:00:00+08:00`).toISOString();
}

/** How far into its days a campaign is today, 0 to 100. */
export function campaignElapsedPercent(startsOn: string, endsOn: string, today: string): number {
  const start = Date.parse(`${startsOn}T00:00:00Z`);
  const end = Date.parse(`${endsOn}T00:00:00Z`) + 86_400_000;
  const now = Date.parse(`${today}T00:00:00Z`) + 86_400_000 / 2;
  if (now <= start) return 0;
  if (now >= end) return 100;
  return Math.round(((now - start) / (end - start)) * 100);
}

/** A filter's days (both ends included) as the half-open [from, to) instants the services take. */
export function rangeOfDays(from?: string, to?: string): { from?: string; to?: string } {
  const range: { from?: string; to?: string } = {};
  if (from !== undefined) range.from = startOfCityDay(from);
  if (to !== undefined)
    range.to = new Date(Date.parse(startOfCityDay(to)) + 86_400_000).toISOString();
  return range;
}

/** A start and an end; on one city day the end shows as its time alone. */
export function formatRange(startIso: string, endIso: string, locale: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  if (cityDay(start) !== cityDay(end))
    return `${formatDateTime(startIso, locale)} – ${formatDateTime(endIso, locale)}`;
  const time = new Intl.DateTimeFormat(locale, {
    timeZone: CITY_TIME_ZONE,
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(end);
  return `${formatDateTime(startIso, locale)}–${time}`;
}
