/* The bpmn-js modeler: load the process's BPMN file, save it back with its revision. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector("meta[name=\"csrf-token\"]");
    return meta ? meta.content : "";
  }

  var root = document.querySelector("[data-bpmn-modeler]");
  if (!root || !window.BpmnJS || !window.fetch) { return; }
  var text = root.dataset;
  var status = root.querySelector("[data-status]");
  var errors = root.querySelector("[data-errors]");
  var button = root.querySelector("[data-save]");
  var modeler = new window.BpmnJS({ container: root.querySelector("[data-canvas]") });
  var revision = null;
  root.bpmnModeler = modeler; // for tests and browser extensions; not a global
  var dirty = false;

  function say(message, kind) {
    status.textContent = message;
    status.dataset.kind = kind || "info";
  }

  function listErrors(found) {
    errors.textContent = "";
    Object.keys(found || {}).forEach(function (where) {
      found[where].forEach(function (message) {
        var item = document.createElement("li");
        item.textContent = where + ": " + message;
        errors.appendChild(item);
      });
    });
    errors.hidden = !errors.children.length;
  }

  function revisionOf(response) {
    return (response.headers.get("ETag") || "").replace(/^W\//, "").replace(/"/g, "");
  }

  function load() {
    say(text.msgLoading);
    fetch(text.xmlUrl, { headers: { Accept: "application/xml" }, credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        revision = revisionOf(response);
        return response.text();
      })
      .then(function (xml) { return modeler.importXML(xml); })
      .then(function () {
        modeler.get("canvas").zoom("fit-viewport", "auto");
        button.disabled = false;
        root.dataset.state = "ready";
        say(text.msgReady);
      })
      .catch(function () { root.dataset.state = "failed"; say(text.msgFailed, "error"); });
  }

  function save() {
    button.disabled = true;
    say(text.msgSaving);
    modeler.saveXML({ format: true })
      .then(function (result) {
        return fetch(text.saveUrl, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/xml", Accept: "application/json", "If-Match": "\"" + revision + "\"", "X-CSRF-Token": csrfToken() },
          body: result.xml
        });
      })
      .then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, status: response.status, body: body }; });
      })
      .then(function (answer) {
        if (answer.ok) {
          revision = answer.body.revision;
          dirty = false;
          listErrors({});
          root.dataset.saved = String(Number(root.dataset.saved || 0) + 1);
          say(text.msgSaved, "ok");
        } else {
          listErrors(answer.body.errors);
          say(answer.body.message || text.msgError, answer.status === 409 ? "conflict" : "error");
        }
      })
      .catch(function () { say(text.msgError, "error"); })
      .then(function () { button.disabled = false; });
  }

  modeler.on("commandStack.changed", function () {
    dirty = true;
    say(text.msgUnsaved);
  });
  window.addEventListener("beforeunload", function (event) {
    if (dirty) { event.preventDefault(); event.returnValue = ""; }
  });
  button.addEventListener("click", save);
  load();
})();
