/* The activity list, enhanced: a handle per row moved with the arrow keys, and drag and drop.
   Without this script the "Flytta upp/ned" buttons (real forms) do the same. */
(function () {
  "use strict";

  function csrfToken() {
    var meta = document.querySelector("meta[name=\"csrf-token\"]");
    return meta ? meta.content : "";
  }

  var list = document.getElementById("aktivitetslista");
  if (!list || !window.fetch || !list.querySelector(".ws-row-tools")) { return; }
  var status = document.getElementById("lista-status");
  var rows = function () { return Array.prototype.slice.call(list.querySelectorAll(".ws-row")); };
  var dragged = null;

  function say(text) { if (status) { status.textContent = text; } }

  function renumber() {
    var all = rows();
    all.forEach(function (row, index) {
      row.querySelector(".ws-number").textContent = String(index + 1);
      row.querySelector(".ws-up").disabled = index === 0;
      row.querySelector(".ws-down").disabled = index === all.length - 1;
    });
  }

  function save(focusRow) {
    var order = rows().map(function (row) { return row.dataset.id; });
    say(list.dataset.msgSaving);
    return fetch(list.dataset.orderUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRF-Token": csrfToken() },
      body: JSON.stringify({ order: order, state: list.dataset.state, seen: list.dataset.seen })
    }).then(function (response) {
      if (response.status === 409) {
        say(list.dataset.msgConflict);
        window.setTimeout(function () { window.location.reload(); }, 1500);
        return null;
      }
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (body) {
      if (!body) { return; }
      list.dataset.state = body.state;
      list.dataset.seen = body.seen;
      document.querySelectorAll("input[name=state]").forEach(function (input) {
        if (input.closest("#aktivitetslista") || input.form && input.form.action.indexOf("/aktiviteter") !== -1) {
          input.value = body.state;
        }
      });
      document.querySelectorAll("input[name=seen]").forEach(function (input) { input.value = body.seen; });
      var diagram = document.querySelector(".ws-diagram");
      if (diagram) { diagram.src = diagram.src.split("?")[0] + "?v=" + body.state; }
      var name = focusRow ? focusRow.querySelector(".ws-row-name a").textContent : "";
      var place = focusRow ? rows().indexOf(focusRow) + 1 : 0;
      say(list.dataset.msgSaved.replace("{name}", name).replace("{n}", String(place)));
    }).catch(function () { say(list.dataset.msgFailed); });
  }

  function move(row, step) {
    var all = rows();
    var index = all.indexOf(row);
    var other = all[index + step];
    if (!other) { return; }
    if (step < 0) { list.insertBefore(row, other); } else { list.insertBefore(other, row); }
    renumber();
    row.querySelector(".ws-handle").focus();
    save(row);
  }

  rows().forEach(function (row) {
    var handle = document.createElement("button");
    handle.type = "button";
    handle.className = "ws-handle";
    handle.setAttribute("aria-label", list.dataset.msgHandle.replace("{name}", row.querySelector(".ws-row-name a").textContent));
    handle.setAttribute("aria-describedby", "lista-tips");
    handle.textContent = "⇅";
    handle.addEventListener("keydown", function (event) {
      if (event.key === "ArrowUp") { event.preventDefault(); move(row, -1); }
      if (event.key === "ArrowDown") { event.preventDefault(); move(row, 1); }
    });
    row.querySelector(".ws-row-main").insertBefore(handle, row.querySelector(".ws-row-main").firstChild);
    row.draggable = true;
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("ws-dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.id);
    });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row) { return; }
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragged, after ? row.nextSibling : row);
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("ws-dragging");
      if (dragged) { renumber(); save(dragged); }
      dragged = null;
    });
  });
})();
