// Job progress page: poll the job's JSON between the page's own refreshes so the bar moves
// smoothly, and reload once the job is finished. Without this script the page still works.
(function () {
  "use strict";
  var section = document.querySelector("[data-job-url]");
  if (!section || section.getAttribute("data-finished") === "true" || !window.fetch) {
    return;
  }
  var bar = section.querySelector("progress");
  var url = section.getAttribute("data-job-url");

  function poll() {
    fetch(url, { headers: { Accept: "application/json" }, cache: "no-store" })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (job) {
        if (!job) { return; }
        if (job.finished) { window.location.reload(); return; }
        if (bar && job.total) {
          bar.max = job.total;
          bar.value = job.done;
          bar.textContent = job.percent + " %";
        }
        window.setTimeout(poll, 500);
      })
      .catch(function () { /* the meta refresh carries on */ });
  }
  window.setTimeout(poll, 500);
})();
