// Lets a feature's screen module follow events on a screen's LiveClient without the page
// listing them: the events go through the client's stream tracker like its own (a seq it
// never saw would look like a gap), and the snapshot reaches both. Call it right after
// the client is made (before or after connect(): events only come later).

export function attach(client, { events, onSnapshot, onEvent }) {
  const options = client.options;
  const pageSnapshot = options.onSnapshot;
  const pageEvent = options.onEvent;
  const mine = new Set(events);
  options.onSnapshot = (snapshot) => {
    if (pageSnapshot) pageSnapshot(snapshot);
    onSnapshot(snapshot);
  };
  options.onEvent = (name, payload) => {
    if (pageEvent) pageEvent(name, payload); // the page (and features before) ignore what they do not know
    if (mine.has(name)) onEvent(name, payload);
  };
  const fresh = events.filter((name) => !(options.events || []).includes(name));
  options.events = [...(options.events || []), ...fresh];
  if (client.socket) {
    for (const name of fresh) client.socket.on(name, (data) => client.receive(name, data));
  }
}

const QUERY_TIMEOUT_MS = 10000;

/** A query (no cid, nothing stored): resolves with the ack, or null offline or on timeout. */
export function query(client, event, payload) {
  return new Promise((resolve) => {
    const socket = client.socket;
    if (!socket || !socket.connected) {
      resolve(null);
      return;
    }
    socket.timeout(QUERY_TIMEOUT_MS).emit(event, payload, (error, ack) => resolve(error ? null : ack));
  });
}
