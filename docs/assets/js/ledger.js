// Make the ledger's tables sortable. Material swaps pages without reloading
// (instant navigation), so hook into its document$ observable when present.
(function () {
  // The key tablesort compares: data-sort, else the text.
  function key(row, column) {
    var cell = row.cells[column];
    if (!cell) return "";
    var value = cell.hasAttribute("data-sort") ? cell.getAttribute("data-sort") : cell.textContent;
    return value.trim().toLowerCase();
  }

  // Tablesort breaks ties by reversing the rows' previous order in one of the
  // two directions, so problems with the same deadline came out 17, 16, 13…
  // After each sort, every run of equal keys goes back to the order the page
  // listed them in (序号 ascending), in both directions.
  function keepPageOrderAmongEquals(table, sorter) {
    Array.prototype.forEach.call(table.tBodies, function (body, b) {
      Array.prototype.forEach.call(body.rows, function (row, i) {
        if (!row.hasAttribute("data-ledger-order")) row.setAttribute("data-ledger-order", b * 1e6 + i);
      });
    });
    table.addEventListener("afterSort", function () {
      Array.prototype.forEach.call(table.tBodies, function (body) {
        var rows = Array.prototype.slice.call(body.rows), ordered = [], run = [];
        function flush() {
          run.sort(function (a, c) {
            return a.getAttribute("data-ledger-order") - c.getAttribute("data-ledger-order");
          });
          ordered = ordered.concat(run);
          run = [];
        }
        rows.forEach(function (row) {
          if (run.length && key(run[0], sorter.col) !== key(row, sorter.col)) flush();
          run.push(row);
        });
        flush();
        ordered.forEach(function (row) { body.appendChild(row); });
      });
    });
  }

  function init() {
    document.querySelectorAll("table.ledger-sortable").forEach(function (table) {
      if (!table.dataset.sortableReady) {
        keepPageOrderAmongEquals(table, new Tablesort(table));
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
