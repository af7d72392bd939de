// journeymap serve: keep this page in step with the journey files on disk.
// The server pushes a "change" event (server-sent events) naming the journeys that changed; the
// page then fetches its own fresh <main> and swaps it in, without reloading. The stream is held
// by a shared worker (feed.js), one for all pages of this server, where the browser has them.
"use strict";
(function () {
  const body = document.body;
  const feed = body.dataset.feed;
  const live = document.getElementById("live");
  let version = body.dataset.version;
  let busy = false;
  let again = false;

  function say(text, state) {
    live.textContent = text;
    live.className = "live " + state;
  }

  function mine(changed) {
    if (feed === "/api/index") return true;
    let rel = null;
    try { rel = decodeURIComponent(feed.slice("/api/j/".length)); } catch (e) { return true; }
    return changed.indexOf("*") >= 0 || changed.indexOf(rel) >= 0;
  }

  async function refresh() {
    if (busy) { again = true; return; }
    busy = true;
    try {
      const answer = await fetch(feed, { cache: "no-store" });
      if (answer.status === 404) {
        gone();
      } else if (answer.ok) {
        const page = await answer.json();
        if (String(page.version) !== String(version)) {
          document.getElementById("content").innerHTML = page.html;
          document.title = page.title;
          version = page.version;
          body.dataset.version = version;
        }
        say("live", "on");
      }
    } catch (e) {
      say("reconnecting…", "off");
    } finally {
      busy = false;
      if (again) { again = false; refresh(); }
    }
  }

  function gone() {
    if (document.getElementById("gone")) return;
    const note = document.createElement("section");
    note.id = "gone";
    note.className = "problems";
    note.setAttribute("role", "alert");
    const title = document.createElement("h2");
    title.textContent = "This journey file is gone (deleted, renamed or no longer a file). " +
      "It comes back here if it is saved again under the same name.";
    note.appendChild(title);
    const content = document.getElementById("content");
    content.insertBefore(note, content.firstChild);
    version = "gone";
  }

  function handle(message) {
    if (message.kind === "open") { say("live", "on"); refresh(); }
    else if (message.kind === "error") say("reconnecting…", "off");
    else if (message.kind === "change" && mine(message.changed)) refresh();
  }

  function listen() {
    if (window.SharedWorker) {
      try {
        const worker = new SharedWorker("/assets/feed.js", { name: "journeymap-feed" });
        worker.port.onmessage = function (e) { handle(e.data); };
        worker.port.start();
        window.addEventListener("pagehide", function () { worker.port.postMessage("bye"); });
        return;
      } catch (e) { /* no shared workers here: a stream of this page's own */ }
    }
    const events = new EventSource("/events");
    events.addEventListener("open", function () { handle({ kind: "open" }); });
    events.addEventListener("error", function () { handle({ kind: "error" }); });
    events.addEventListener("change", function (e) {
      handle({ kind: "change", changed: JSON.parse(e.data).changed || [] });
    });
  }

  listen();
})();
