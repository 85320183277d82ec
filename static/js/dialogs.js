// Dialogs loaded by htmx ("Log contact", editing, deleting, new follow-up) and the
// type-ahead pickers inside them. No inline scripts: the Content-Security-Policy forbids them.
(function () {
  "use strict";

  // A dialog arrives appended to <body>: show it as a modal (focus goes to its autofocus
  // field); one open at a time. Closed dialogs are removed, so the next one starts fresh.
  function openDialogs(root) {
    const found = root.matches && root.matches("dialog[data-modal]") ? [root] : [];
    root.querySelectorAll && root.querySelectorAll("dialog[data-modal]").forEach(function (d) { found.push(d); });
    found.forEach(function (dialog) {
      if (dialog.open) return;
      document.querySelectorAll("dialog[data-modal]").forEach(function (other) {
        if (other !== dialog) other.remove();
      });
      dialog.addEventListener("close", function () { dialog.remove(); });
      dialog.showModal();
    });
  }
  document.addEventListener("htmx:load", function (event) { openDialogs(event.detail.elt); });

  document.addEventListener("click", function (event) {
    const closer = event.target.closest("[data-close-dialog]");
    if (closer) {
      const dialog = closer.closest("dialog");
      if (dialog) dialog.close();
      return;
    }
    const pick = event.target.closest("[data-pick]");
    if (pick) { choose(pick); return; }
    const unpick = event.target.closest("[data-unpick]");
    if (unpick) {
      const picker = unpick.closest("[data-picker]");
      unpick.closest("li").remove();
      picker.querySelector("[data-picker-input]").focus();
      changed(picker);
    }
  });

  function chip(picker, value, label) {
    const li = document.createElement("li");
    li.className = "chip";
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = picker.dataset.name;
    input.value = value;
    const text = document.createElement("span");
    text.textContent = label;
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "chip-remove";
    remove.setAttribute("data-unpick", "");
    remove.setAttribute("aria-label", (picker.dataset.removeLabel || "Remove") + ": " + label);
    remove.textContent = "×";
    li.append(input, text, remove);
    return li;
  }

  function choose(pick) {
    const picker = pick.closest("[data-picker]");
    const chosen = picker.querySelector(".picker-chosen");
    const value = pick.dataset.value;
    if (picker.hasAttribute("data-single")) chosen.innerHTML = "";
    if (!chosen.querySelector('input[value="' + CSS.escape(value) + '"]')) {
      chosen.appendChild(chip(picker, value, pick.dataset.label));
    }
    const input = picker.querySelector("[data-picker-input]");
    picker.querySelector(".picker-results").innerHTML = "";
    input.value = "";
    // The box gets the focus back for the next name, but that focus must not fetch the
    // suggestions again (the list would reopen under the choice just made).
    input.dataset.picked = "1";
    input.focus({ preventScroll: true });
    delete input.dataset.picked;
    changed(picker);
  }

  document.addEventListener("htmx:confirm", function (event) {
    const input = event.target.closest && event.target.closest("[data-picker-input]");
    if (input && input.dataset.picked && event.detail.triggeringEvent &&
        event.detail.triggeringEvent.type === "focus") {
      event.preventDefault();
    }
  });

  // Another account: the participants chosen belong to the old account's group.
  function changed(picker) {
    if (picker.dataset.name !== "account") return;
    const form = picker.closest("form");
    const contacts = form && form.querySelector('[data-picker][data-name="contacts"]');
    if (!contacts) return;
    contacts.querySelector(".picker-chosen").innerHTML = "";
    contacts.querySelector(".picker-results").innerHTML = "";
  }

  // Keyboard: Enter in a picker's box picks the first suggestion instead of sending the
  // form; arrow down moves into the suggestions; Escape empties them.
  document.addEventListener("keydown", function (event) {
    const input = event.target.closest && event.target.closest("[data-picker-input]");
    if (!input) return;
    const results = input.closest("[data-picker]").querySelector(".picker-results");
    const first = results.querySelector("[data-pick]");
    if (event.key === "Enter") {
      event.preventDefault();
      if (first) choose(first);
    } else if (event.key === "ArrowDown" && first) {
      event.preventDefault();
      first.focus();
    } else if (event.key === "Escape" && results.children.length) {
      event.preventDefault();
      event.stopPropagation();
      results.innerHTML = "";
    }
  });
})();
