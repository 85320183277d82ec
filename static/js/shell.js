// The page shell: the main menu, dropdowns, account tabs that do not fit, stacked tables.
// Loaded right after the main menu (not deferred), so the menu is folded before the first
// paint on a narrow screen; everything else waits for the document.
(function () {
  "use strict";

  // The menu is open in the HTML (links visible without scripts); below this width it
  // becomes a menu button. Keep in step with the media query in app.css.
  const narrow = window.matchMedia("(max-width: 1100px)");
  const menu = document.querySelector("details.nav-menu");
  function fitMenu() { if (menu) menu.open = !narrow.matches; }
  fitMenu();
  narrow.addEventListener("change", fitMenu);

  // Open dropdowns (user menu, the folded main menu, "More" tabs) close on a click
  // elsewhere or on Escape, as menus do.
  function openMenus() {
    return Array.from(document.querySelectorAll("details.dropdown[open], details.tabs-more[open]"))
      .concat(narrow.matches && menu && menu.open ? [menu] : []);
  }
  document.addEventListener("click", function (event) {
    openMenus().forEach(function (d) { if (!d.contains(event.target)) d.open = false; });
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    openMenus().forEach(function (d) { d.open = false; d.querySelector("summary").focus(); });
  });

  // Account tabs: the ones that do not fit on one row move into the "More" menu.
  function fitTabs(bar) {
    const more = bar.querySelector(".tabs-more");
    if (!more) return;
    const tabs = Array.from(bar.querySelectorAll(":scope > [role=tab]"));
    const items = Array.from(more.querySelectorAll("[data-tab]"));
    tabs.forEach(function (t) { t.hidden = false; });
    items.forEach(function (i) { i.parentElement.hidden = true; });
    more.hidden = true;
    if (!tabs.length) return;
    // Items on the first line share its top (align-items: flex-start in app.css).
    const wrapped = function (el) { return el.offsetTop > tabs[0].offsetTop + tabs[0].offsetHeight / 2; };
    if (!tabs.some(wrapped)) return markMore(bar, more);
    more.hidden = false;
    for (let i = tabs.length - 1; i > 0; i--) {
      if (!wrapped(more) && !tabs.some(function (t) { return !t.hidden && wrapped(t); })) break;
      tabs[i].hidden = true;
      items[i].parentElement.hidden = false;
    }
    markMore(bar, more);
  }
  // "More" names the selected tab when that one sits in the menu.
  function markMore(bar, more) {
    const selected = bar.querySelector(":scope > [role=tab][aria-selected=true]");
    const inMenu = selected && selected.hidden;
    const label = more.querySelector(".tabs-more-label");
    more.classList.toggle("has-selected", !!inMenu);
    if (label) label.textContent = inMenu ? selected.textContent : label.dataset.more;
  }
  function fitAllTabs() { document.querySelectorAll(".tabs").forEach(fitTabs); }

  // Tables marked "stack" turn into cards on a phone; each cell is labelled with its
  // column's heading (read from the table head, so templates need only the class).
  function labelCells(root) {
    root.querySelectorAll("table.stack").forEach(function (table) {
      const heads = Array.from(table.querySelectorAll("thead th")).map(function (th) {
        return th.textContent.trim();
      });
      table.querySelectorAll("tbody tr").forEach(function (row) {
        let col = 0;
        Array.from(row.children).forEach(function (cell) {
          if (!cell.hasAttribute("data-label") && heads[col]) cell.setAttribute("data-label", heads[col]);
          col += cell.colSpan || 1;
        });
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    fitAllTabs();
    labelCells(document);
    let timer;
    window.addEventListener("resize", function () { clearTimeout(timer); timer = setTimeout(fitAllTabs, 100); });
  });
  document.addEventListener("htmx:afterSettle", function (event) { labelCells(event.target); });

  // A tab chosen from "More" is marked selected like a tab on the row.
  document.addEventListener("htmx:afterRequest", function (event) {
    const item = event.detail.elt;
    if (!item || !item.dataset || !item.dataset.tab || !event.detail.successful) return;
    const bar = item.closest(".tabs");
    bar.querySelectorAll(":scope > [role=tab]").forEach(function (t) {
      t.setAttribute("aria-selected", t.id === "tab-" + item.dataset.tab ? "true" : "false");
    });
    const more = item.closest("details");
    if (more) more.open = false;
    const panel = document.getElementById("tab-panel");
    if (panel) panel.setAttribute("aria-labelledby", "tab-" + item.dataset.tab);
    markMore(bar, more);
  });
  // A tab clicked on the row may have moved "More"'s label back.
  document.addEventListener("htmx:afterRequest", function (event) {
    const tab = event.detail.elt;
    if (tab && tab.getAttribute && tab.getAttribute("role") === "tab") {
      const bar = tab.closest(".tabs");
      const more = bar && bar.querySelector(".tabs-more");
      // After app.js has moved aria-selected to the clicked tab.
      if (more) setTimeout(function () { markMore(bar, more); }, 0);
    }
  });
})();
