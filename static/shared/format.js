// Names and times in the viewer's locale: one place for what every screen formats.

/** A function ms -> "14:05" in `timeZone`, 24-hour: rooms read programs across continents. */
export function clockFormat(locale, timeZone) {
  const format = new Intl.DateTimeFormat(locale, {
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
    timeZone,
  });
  return (ms) => (ms === null || ms === undefined ? "" : format.format(new Date(ms)));
}

/** A function code -> the country's name in `locale`; `known` (code -> name, from the
 * server) covers browsers without Intl.DisplayNames. */
export function countryNames(locale, known = {}) {
  let regions = null;
  try {
    regions = new Intl.DisplayNames([locale], { type: "region" });
  } catch {
    regions = null;
  }
  return (code) => {
    if (!code) return "";
    const upper = String(code).toUpperCase();
    if (known[upper]) return known[upper];
    try {
      return (regions && regions.of(upper)) || upper;
    } catch {
      return upper; // not a region code this browser knows
    }
  };
}
