// The optional step after joining: organisation, its type, country and stakeholder group, sent as
// participant.profile. Open on the first visit until saved or skipped; editable later.
import { byId, setText } from "../shared/page.js";
import { getItem, setItem } from "./identity.js";

export function wireProfile({ client, strings, storageKey }) {
  const box = byId("profile");
  const form = byId("profile-form");
  if (!box || !form) return;
  const seen = storageKey + ".profile-step";
  if (box.dataset.new === "yes" && !getItem("localStorage", seen)) box.open = true;
  const done = () => {
    setItem("localStorage", seen, "1");
    box.open = false;
  };
  byId("profile-skip").addEventListener("click", done);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const value = (id) => byId(id).value.trim() || null;
    const payload = {
      organisation: value("profile-organisation"),
      country: value("profile-country"),
      stakeholder_type: value("profile-type"),
      organisation_type: value("profile-organisation-type"),
    };
    client().send("participant.profile", payload).then((ack) => {
      setText(byId("profile-status"), ack && ack.ok ? strings.profile_saved : strings.profile_failed);
      if (ack && ack.ok) done();
    });
  });
}
