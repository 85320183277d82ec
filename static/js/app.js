// Page behaviour without inline scripts (the Content-Security-Policy forbids them).
(function () {
  "use strict";

  function showToast(level, text) {
    const box = document.getElementById("toasts");
    if (!box) return;
    const toast = document.createElement("div");
    toast.className = "toast toast-" + (level || "info");
    toast.textContent = text;
    box.appendChild(toast);
    setTimeout(function () { toast.remove(); }, 6000);
  }

  // Toasts that arrive with an htmx response (HX-Trigger: kam:toasts).
  document.addEventListener("kam:toasts", function (event) {
    const list = (event.detail && event.detail.value) || event.detail || [];
    (Array.isArray(list) ? list : []).forEach(function (t) { showToast(t.level, t.text); });
  });

  // Toasts rendered with a full page fade out after a while.
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("#toasts .toast").forEach(function (toast) {
      setTimeout(function () { toast.remove(); }, 8000);
    });
  });

  // Forms with data-confirm ask first (works for htmx and plain submits).
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("form[data-confirm]");
    if (form && !window.confirm(form.dataset.confirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  }, true);
  // Selects marked data-autosubmit submit their form on change (filters, language).
  document.addEventListener("change", function (event) {
    const el = event.target;
    if (el.matches("[data-autosubmit]") && el.form) el.form.requestSubmit();
  });

  // An error answer to an htmx request still tells the user something went wrong.
  document.addEventListener("htmx:responseError", function (event) {
    const status = event.detail.xhr.status;
    const msg = document.body.dataset.errorText || "Error";
    showToast("error", msg + " (" + status + ")");
  });

  // Close the search popup with Escape.
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape") {
      const popup = document.getElementById("search-results");
      if (popup) popup.innerHTML = "";
    }
  });
})();

// Tabs loaded by htmx: mark the clicked one as selected.
document.addEventListener("htmx:afterRequest", function (event) {
  const tab = event.detail.elt;
  if (!tab || tab.getAttribute("role") !== "tab" || !event.detail.successful) return;
  tab.parentElement.querySelectorAll("[role=tab]").forEach(function (t) {
    t.setAttribute("aria-selected", t === tab ? "true" : "false");
  });
  const panel = document.getElementById("tab-panel");
  if (panel) panel.setAttribute("aria-labelledby", tab.id);
});

// Print buttons (relationship map, briefing sheets).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) window.print();
});
