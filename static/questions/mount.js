// Mounts the guiding questions, polls and the audience Q&A on the phone page
// (static/participation/phone.js calls it once its LiveClient is made). The features get
// every snapshot, every event the page follows (the live state: the Q&A needs the
// current item) and the connection status; the client follows their events too, through
// its stream tracker like its own. Containers: #questions and #qa in the phone template.
import { byId } from "../shared/page.js";
import { qaPhone } from "../qa/phone.js";
import { questionsPhone } from "./phone.js";

export function mountQuestionsPhone(client, data) {
  const common = {
    strings: data.strings,
    language: data.language,
    defaultLanguage: data.default_language,
    send: (event, payload) => client.send(event, payload),
    online: () => client.status === "online",
    pending: [...client.outbox.messages], // left by a previous visit of the page
  };
  const features = [];
  if (byId("questions")) features.push(questionsPhone({ ...common, root: byId("questions") }));
  if (byId("qa")) features.push(qaPhone({ ...common, root: byId("qa"), speakers: data.speakers }));
  // A removed participant, or a device no longer recognised, sees none of it any more.
  const roots = [byId("questions"), byId("qa")].filter(Boolean);
  const hideAll = () => roots.forEach((root) => root.remove());
  features.push({
    events: [],
    snapshot() {},
    ack() {},
    event: (name, payload) => name === "participant.removed" && payload.participant === data.participant && hideAll(),
    status: (status) => status === "refused" && hideAll(),
  });
  follow(client, features);
  return features;
}

/** Chains the features after the page's own handlers (the page's ignore what they do not know). */
export function follow(client, features) {
  const options = client.options;
  const page = {
    snapshot: options.onSnapshot,
    event: options.onEvent,
    status: options.onStatus,
    ack: options.onAck,
  };
  options.onSnapshot = (snapshot) => {
    if (page.snapshot) page.snapshot(snapshot);
    for (const feature of features) feature.snapshot(snapshot);
  };
  options.onEvent = (name, payload) => {
    if (page.event) page.event(name, payload);
    for (const feature of features) feature.event(name, payload);
  };
  options.onAck = (message, ack) => {
    if (page.ack) page.ack(message, ack);
    for (const feature of features) feature.ack(message, ack);
  };
  options.onStatus = (status, detail) => {
    if (page.status) page.status(status, detail);
    for (const feature of features) feature.status(status);
  };
  const known = new Set(options.events || []);
  const fresh = [...new Set(features.flatMap((feature) => feature.events))].filter((name) => !known.has(name));
  options.events = [...(options.events || []), ...fresh];
  if (client.socket) {
    for (const name of fresh) client.socket.on(name, (payload) => client.receive(name, payload));
  }
}
