import assert from "node:assert/strict";
import { test } from "node:test";

import { clockFormat, countryNames } from "../../static/shared/format.js";

test("clockFormat: 24-hour times in the workshop's zone, nothing for no time", () => {
  const seoul = clockFormat("en-GB", "Asia/Seoul");
  assert.equal(seoul(Date.UTC(2021, 9, 8, 9, 5)), "18:05");
  assert.equal(clockFormat("en-US", "Europe/Paris")(Date.UTC(2026, 2, 2, 13, 0)), "14:00");
  assert.equal(seoul(null), "");
  assert.equal(seoul(undefined), "");
});

test("countryNames: in the viewer's language, from the server's names first", () => {
  assert.equal(countryNames("fr")("kh"), "Cambodge");
  assert.equal(countryNames("en")("KH"), "Cambodia");
  assert.equal(countryNames("en", { KH: "Kampuchea" })("KH"), "Kampuchea");
  assert.equal(countryNames("en")(""), "");
  assert.equal(countryNames("en")(null), "");
});
