// Portal enhancements; every page works without this file (suggestions simply don't appear).
(function () {
  "use strict";
  // Opening a suggested article from the report form goes through /portal/report/open/, which records the
  // "suggestion opened" event used to count deflections (see docs/portal.md), then redirects to the article.
  function track(event) {
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link) return;
    const box = link.closest("[data-suggestions]");
    if (!box || link.dataset.tracked) return;
    const url = new URL(link.href, window.location.href);
    if (url.origin !== window.location.origin || !url.pathname.startsWith("/knowledge/articles/")) return;
    const token = box.dataset.session || "";
    const field = document.getElementById("id_short_description");
    const params = new URLSearchParams({ s: token, to: url.pathname + url.search, q: field ? field.value : "" });
    link.href = "/portal/report/open/?" + params.toString();
    link.dataset.tracked = "1";
  }
  document.addEventListener("click", track, true);
  document.addEventListener("auxclick", track, true);
  document.addEventListener("contextmenu", track, true);
})();
