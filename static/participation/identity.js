// Where a phone keeps who it is: the participant's token in localStorage, so that a lost
// cookie can be handed back (join.js), and a guard in sessionStorage against reload loops.
export const RESTORE_GUARD = "facilitator.restoring.";

function store(kind) {
  try {
    return window[kind]; // blocked storage throws on access
  } catch {
    return null;
  }
}

export function getItem(kind, key) {
  try {
    const storage = store(kind);
    return storage ? storage.getItem(key) : null;
  } catch {
    return null;
  }
}

export function setItem(kind, key, value) {
  try {
    const storage = store(kind);
    if (storage) storage.setItem(key, value);
  } catch {
    // full or private mode: the cookie remains
  }
}

export function removeItem(kind, key) {
  try {
    const storage = store(kind);
    if (storage) storage.removeItem(key);
  } catch {
    // nothing kept
  }
}
