// Progressive enhancements of the agent workspace; every page works without this file.
(function () {
  "use strict";
  document.documentElement.classList.add("js");

  // --- The viewer's time zone, so the server shows times in it (ViewerTimezoneMiddleware reads the cookie). ---
  try {
    var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    if (zone && document.cookie.indexOf("tz=" + zone) === -1) {
      document.cookie = "tz=" + zone + "; path=/; max-age=31536000; samesite=lax";
    }
  } catch (e) { /* old browsers: server default zone */ }

  // htmx: show validation (4xx) fragments instead of dropping them.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var status = event.detail.xhr.status;
    if (status === 400 || status === 409 || status === 422) { event.detail.shouldSwap = true; event.detail.isError = false; }
  });

  // --- Relative times, same wording as the server ("in 2 h 10 min", "overdue 5 min"). ---
  function shortDuration(seconds) {
    seconds = Math.abs(Math.trunc(seconds));
    var d = Math.floor(seconds / 86400), h = Math.floor((seconds % 86400) / 3600), m = Math.floor((seconds % 3600) / 60);
    if (d) return h ? d + " d " + h + " h" : d + " d";
    if (h) return m ? h + " h " + m + " min" : h + " h";
    if (m) return m + " min";
    return "less than 1 min";
  }
  function until(seconds) { return seconds < 0 ? "overdue " + shortDuration(seconds) : "in " + shortDuration(seconds); }
  function tickClocks() {
    var now = Date.now();
    document.querySelectorAll(".slaclock[data-due]").forEach(function (clock) {
      var due = Date.parse(clock.getAttribute("data-due"));
      if (isNaN(due)) return;
      var left = (due - now) / 1000;
      var text = clock.querySelector("[data-sla-text]");
      if (text) text.textContent = until(left);
      if (left < 0) { clock.classList.remove("sla-ok", "sla-risk"); clock.classList.add("sla-breach"); }
    });
  }
  setInterval(tickClocks, 15000);
  document.addEventListener("DOMContentLoaded", tickClocks);

  // --- Queue: selection that survives refreshes, j/k/Enter/x, select all, bulk fields per action. ---
  var selected = new Set();
  var focusedId = null;
  function queueBody() { return document.getElementById("queue-body"); }
  function rows() { var b = queueBody(); return b ? Array.prototype.slice.call(b.querySelectorAll("tr[data-id]")) : []; }
  window.itsmQueueSize = function () { return Math.max(50, Math.min(200, rows().length)); };
  function updateCount() {
    var el = document.querySelector("[data-selected-count]");
    if (el) el.textContent = String(selected.size);
  }
  function restoreSelection() {
    rows().forEach(function (row) {
      var box = row.querySelector("input[name=ids]");
      if (box) box.checked = selected.has(row.getAttribute("data-id"));
      if (row.getAttribute("data-id") === focusedId) { row.classList.add("focused"); }
    });
    if (focusedId) {
      var row = document.querySelector('#queue-body tr[data-id="' + focusedId + '"]');
      if (row && document.activeElement === document.body) row.focus({ preventScroll: true });
    }
    updateCount();
  }
  document.addEventListener("change", function (event) {
    var t = event.target;
    if (t.name === "ids" && t.closest("#queue-body")) {
      var id = t.closest("tr").getAttribute("data-id");
      if (t.checked) selected.add(id); else selected.delete(id);
      updateCount();
    }
    if (t.hasAttribute && t.hasAttribute("data-select-all")) {
      rows().forEach(function (row) {
        var box = row.querySelector("input[name=ids]");
        if (!box) return;
        box.checked = t.checked;
        if (t.checked) selected.add(row.getAttribute("data-id")); else selected.delete(row.getAttribute("data-id"));
      });
      updateCount();
    }
    if (t.hasAttribute && (t.hasAttribute("data-bulk-action") || t.hasAttribute("data-state-select"))) syncBulkFields();
  });
  function syncBulkFields() {
    var action = document.querySelector("[data-bulk-action]");
    if (!action) return;
    document.querySelectorAll(".bulkfields").forEach(function (group) { group.hidden = group.getAttribute("data-for") !== action.value; });
    var state = document.querySelector("[data-state-select]");
    document.querySelectorAll("[data-for-state]").forEach(function (group) { group.hidden = !state || group.getAttribute("data-for-state") !== state.value; });
  }
  document.addEventListener("DOMContentLoaded", syncBulkFields);
  document.addEventListener("htmx:beforeSwap", function (event) {
    var active = document.activeElement;
    var row = active && active.closest ? active.closest("#queue-body tr[data-id]") : null;
    if (row) focusedId = row.getAttribute("data-id");
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var results = event.target.querySelector ? event.target.querySelector("[data-ok-ids]") : null;
    if (event.target.id === "bulk-results" && results) {
      (results.getAttribute("data-ok-ids") || "").split(" ").forEach(function (id) { if (id) selected.delete(id); });
    }
    restoreSelection();
  });
  function moveFocus(step) {
    var list = rows();
    if (!list.length) return;
    var index = list.findIndex(function (row) { return row.getAttribute("data-id") === focusedId; });
    index = index === -1 ? 0 : Math.max(0, Math.min(list.length - 1, index + step));
    list.forEach(function (row) { row.classList.remove("focused"); });
    var row = list[index];
    focusedId = row.getAttribute("data-id");
    row.classList.add("focused");
    row.focus();
  }

  // --- Keyboard shortcuts. ---
  var pendingG = false;
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    var typing = target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (event.key === "Escape" && typing) { target.blur(); return; }
    if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
    var dialog = document.getElementById("shortcuts");
    if (dialog && dialog.open) return;
    var key = event.key;
    if (pendingG) { pendingG = false; if (key === "q") { window.location.href = "/incidents/"; return; } }
    if (key === "/") {
      var search = document.getElementById("global-q");
      if (search) { event.preventDefault(); search.focus(); search.select(); }
    } else if (key === "?") {
      if (dialog && dialog.showModal) { event.preventDefault(); dialog.showModal(); }
    } else if (key === "c") {
      if (document.querySelector(".mainnav a[href='/incidents/new/']")) { event.preventDefault(); window.location.href = "/incidents/new/"; }
    } else if (key === "g") {
      pendingG = true; setTimeout(function () { pendingG = false; }, 1000);
    } else if (queueBody() && (key === "j" || key === "k")) {
      event.preventDefault(); moveFocus(key === "j" ? 1 : -1);
    } else if (queueBody() && key === "x" && target.closest && target.closest("#queue-body tr[data-id]")) {
      var box = target.closest("tr").querySelector("input[name=ids]");
      if (box) { box.checked = !box.checked; box.dispatchEvent(new Event("change", { bubbles: true })); }
    } else if (key === "Enter" && target.closest && target.closest("#queue-body tr[data-href]")) {
      window.location.href = target.closest("tr").getAttribute("data-href");
    }
  });
  document.addEventListener("click", function (event) {
    var opener = event.target.closest && event.target.closest("[data-open-shortcuts]");
    if (opener) { var d = document.getElementById("shortcuts"); if (d && d.showModal) d.showModal(); }
    var row = event.target.closest && event.target.closest("#queue-body tr[data-id]");
    if (row) { focusedId = row.getAttribute("data-id"); rows().forEach(function (r) { r.classList.toggle("focused", r === row); }); }
  });

  // --- Drop zones: dropped files join the file input (which still works alone without JS). ---
  function listFiles(zone, input) {
    var list = zone.querySelector("[data-file-list]");
    if (!list) return;
    list.innerHTML = "";
    Array.prototype.forEach.call(input.files, function (file) {
      var li = document.createElement("li");
      li.textContent = file.name + " (" + Math.max(1, Math.round(file.size / 1024)) + " KB)";
      list.appendChild(li);
    });
  }
  document.addEventListener("dragover", function (event) {
    var zone = event.target.closest && event.target.closest("[data-dropzone]");
    if (zone) { event.preventDefault(); zone.classList.add("dragover"); }
  });
  document.addEventListener("dragleave", function (event) {
    var zone = event.target.closest && event.target.closest("[data-dropzone]");
    if (zone) zone.classList.remove("dragover");
  });
  document.addEventListener("drop", function (event) {
    var zone = event.target.closest && event.target.closest("[data-dropzone]");
    if (!zone) return;
    event.preventDefault();
    zone.classList.remove("dragover");
    var input = zone.querySelector("input[type=file]");
    if (!input || !event.dataTransfer) return;
    var merged = new DataTransfer();
    Array.prototype.forEach.call(input.files, function (f) { merged.items.add(f); });
    Array.prototype.forEach.call(event.dataTransfer.files, function (f) { merged.items.add(f); });
    input.files = merged.files;
    listFiles(zone, input);
  });
  document.addEventListener("change", function (event) {
    var t = event.target;
    if (t.type === "file") { var zone = t.closest("[data-dropzone]"); if (zone) listFiles(zone, t); }
  });
})();
