// Shows each agenda time in the viewer's own time zone as well, but only where the
// viewer's clock differs from every zone the page already shows.
//
// Markup (templates/agenda/_macros.html):
//   <span class="viewer-time" hidden data-start="2021-10-08T09:00:00Z"
//         data-end="2021-10-08T09:10:00Z" data-zones="Asia/Seoul UTC"
//         data-label="Your time"></span>
import { whenReady } from "../shared/page.js";

function showViewerTimes() {
  if (typeof Intl === "undefined" || !Intl.DateTimeFormat) {
    return;
  }

  var locale = document.documentElement.lang || undefined;
  var viewerZone;
  try {
    viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (e) {
    return;
  }
  if (!viewerZone) {
    return;
  }

  // The wall-clock reading of a moment in a zone, to compare zones by what they show.
  function clock(moment, zone) {
    try {
      return new Intl.DateTimeFormat("en-GB", {
        timeZone: zone,
        year: "numeric",
        month: "2-digit",
        day: "2-digit",
        hour: "2-digit",
        minute: "2-digit",
        hourCycle: "h23"
      }).format(moment);
    } catch (e) {
      return null; // a zone this browser does not know
    }
  }

  function day(moment, zone) {
    return new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit"
    }).format(moment);
  }

  function sameAsShown(moments, zones) {
    return zones.some(function (zone) {
      return moments.every(function (moment) {
        return clock(moment, zone) === clock(moment, viewerZone);
      });
    });
  }

  var timeOnly = new Intl.DateTimeFormat(locale, { hour: "numeric", minute: "2-digit" });
  var timeWithZone = new Intl.DateTimeFormat(locale, {
    hour: "numeric", minute: "2-digit", timeZoneName: "short"
  });
  var dateShort = new Intl.DateTimeFormat(locale, {
    weekday: "short", day: "numeric", month: "short"
  });

  var slots = document.querySelectorAll(".viewer-time[data-start]");
  Array.prototype.forEach.call(slots, function (slot) {
    var start = new Date(slot.getAttribute("data-start"));
    var endText = slot.getAttribute("data-end");
    var end = endText ? new Date(endText) : null;
    if (isNaN(start.getTime()) || (end && isNaN(end.getTime()))) {
      return;
    }
    var zones = (slot.getAttribute("data-zones") || "").split(/\s+/).filter(Boolean);
    if (zones.indexOf(viewerZone) !== -1) {
      return;
    }
    var moments = end ? [start, end] : [start];
    if (sameAsShown(moments, zones)) {
      return;
    }

    var text = end
      ? timeOnly.format(start) + "–" + timeWithZone.format(end)
      : timeWithZone.format(start);
    // Name the day when the viewer's date is not the workshop's.
    if (zones.length && day(start, zones[0]) !== day(start, viewerZone)) {
      text = dateShort.format(start) + ", " + text;
    }
    var label = slot.getAttribute("data-label");
    slot.textContent = label ? label + ": " + text : text;
    slot.removeAttribute("hidden");
  });
}

whenReady(showViewerTimes);
