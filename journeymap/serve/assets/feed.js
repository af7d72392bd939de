// journeymap serve: one event stream shared by every page of this server in the browser.
// A browser opens about six connections to one server over HTTP/1.1; if each page held its own
// stream, the seventh tab would hang. This shared worker holds the only stream and passes each
// message on to the pages connected to it.
"use strict";
const ports = new Set();
let source = null;
let state = "connecting";

function tell(message) {
  for (const port of ports) port.postMessage(message);
}

function connect() {
  source = new EventSource("/events");
  source.addEventListener("open", function () { state = "open"; tell({ kind: "open" }); });
  source.addEventListener("error", function () { state = "error"; tell({ kind: "error" }); });
  source.addEventListener("change", function (e) {
    tell({ kind: "change", changed: JSON.parse(e.data).changed || [] });
  });
}

onconnect = function (e) {
  const port = e.ports[0];
  ports.add(port);
  port.onmessage = function (m) { if (m.data === "bye") ports.delete(port); };
  port.start();
  if (source === null) connect();
  else if (state === "open") port.postMessage({ kind: "open" });
};
