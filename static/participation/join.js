// The join form: if this device kept a token for the workshop (the cookie was lost),
// hand it back to the server and reload as that participant. Nothing else: the form
// works without any script.
import { pageData } from "../shared/page.js";
import { RESTORE_GUARD, getItem, removeItem, setItem } from "./identity.js";

function restoreIdentity(data) {
  const token = getItem("localStorage", data.storage_key);
  if (!token || !window.fetch) return;
  const guard = RESTORE_GUARD + data.workshop;
  // Tried once in this tab already: cookies are refused, do not reload in a loop.
  if (getItem("sessionStorage", guard)) return;
  setItem("sessionStorage", guard, "1");
  window
    .fetch(data.restore_url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": data.csrf_token },
      body: JSON.stringify({ token }),
    })
    .then((response) => {
      if (response.ok) window.location.reload();
      else if (response.status === 404) removeItem("localStorage", data.storage_key); // removed, or another workshop's
    })
    .catch(() => {
      // offline: the form stays, the next visit tries again
    });
}

const data = pageData();
if (data && data.mode === "join") restoreIdentity(data);
