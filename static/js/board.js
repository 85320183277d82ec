// The pipeline board: drag a card to another column to move the deal there.
// The server answers with the whole board (new totals), or, for won and lost, with the
// card asking for the reason in place (422). The "Move" menu on each card does the same
// without a mouse.
(function () {
  "use strict";

  function initBoard(root) {
    const lists = root.matches && root.matches(".board-cards")
      ? [root]
      : Array.from(root.querySelectorAll ? root.querySelectorAll(".board-cards") : []);
    lists.forEach(function (list) {
      if (list.dataset.sortable) return;
      list.dataset.sortable = "on";
      window.Sortable.create(list, {
        group: "pipeline",
        sort: false,
        draggable: ".board-card[data-move-url]",
        filter: "a, button, summary, textarea, input, select, label, .board-more",
        preventOnFilter: false,
        forceFallback: true,
        fallbackTolerance: 4,
        delayOnTouchOnly: true,
        delay: 200,
        animation: 150,
        ghostClass: "board-card-ghost",
        chosenClass: "board-card-chosen",
        onEnd: function (event) {
          if (event.from === event.to) return;
          const card = event.item;
          // The animation leaves inline styles; the CSP allows none in the swapped HTML.
          card.removeAttribute("style");
          window.htmx.ajax("POST", card.dataset.moveUrl, {
            source: card,
            target: "#pipeline",
            swap: "outerHTML",
            values: { stage: event.to.dataset.stageId },
          });
        },
      });
    });
  }

  window.htmx.onLoad(initBoard);
})();
