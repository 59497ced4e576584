// Text from the agenda comes as a string or as {language: string}; each screen picks
// its viewer's language (rule 5: the server sends data, not sentences).

/** The text in `language`, else in a language of the same base (fr for fr-CA), else in
 * `fallback`, else the first there is. */
export function pickText(text, language, fallback) {
  if (text === null || text === undefined) return "";
  if (typeof text === "string") return text;
  const key = textLanguage(text, language, fallback);
  return key !== undefined && text[key] ? text[key] : "";
}

/** Which language pickText would show, for the element's `lang` (or `fallback`). */
export function textLanguage(text, language, fallback) {
  if (!text || typeof text === "string") return fallback;
  if (text[language]) return language;
  const base = String(language || "").split("-")[0];
  for (const key of Object.keys(text)) {
    if (key.split("-")[0] === base && text[key]) return key;
  }
  if (fallback && text[fallback]) return fallback;
  for (const key of Object.keys(text)) {
    if (text[key]) return key;
  }
  return fallback;
}

/** A translated template with {name} placeholders, filled in. */
export function fill(template, values) {
  return String(template).replace(/\{(\w+)\}/g, (whole, key) =>
    Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : whole,
  );
}
