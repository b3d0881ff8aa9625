/* Draw each [data-bpmn-viewer] with bpmn-js; keep the server SVG if anything goes wrong. */
(function () {
  "use strict";

  function show(canvas) {
    var section = canvas.closest(".diagram");
    var fallback = section ? section.querySelector(".diagram-fallback") : null;
    var viewer = new window.BpmnJS({ container: canvas });
    canvas.hidden = false;
    fetch(canvas.dataset.xmlUrl, { headers: { Accept: "application/xml" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.text();
      })
      .then(function (xml) { return viewer.importXML(xml); })
      .then(function () {
        viewer.get("canvas").zoom("fit-viewport", "auto");
        if (fallback) { fallback.hidden = true; }
        canvas.dataset.state = "ready";
      })
      .catch(function (error) {
        viewer.destroy();
        canvas.hidden = true;
        canvas.dataset.state = "failed";
        if (window.console) { window.console.warn("bpmn-js:", error.message); }
      });
  }

  if (!window.BpmnJS || !window.fetch) { return; }
  document.querySelectorAll("[data-bpmn-viewer]").forEach(show);
})();
