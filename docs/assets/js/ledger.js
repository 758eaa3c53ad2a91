// Make the ledger's tables sortable. Material swaps pages without reloading
// (instant navigation), so hook into its document$ observable when present.
(function () {
  function init() {
    document.querySelectorAll("table.ledger-sortable").forEach(function (table) {
      if (!table.dataset.sortableReady) {
        new Tablesort(table);
        table.dataset.sortableReady = "1";
      }
    });
  }
  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else {
    document.addEventListener("DOMContentLoaded", init);
  }
})();
