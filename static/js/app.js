// Site-wide behaviour. No inline scripts: the Content Security Policy forbids them.
(function () {
  "use strict";
  // Confirm dangerous actions: <form data-confirm="Hapus data ini?">.
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var message = form.getAttribute && form.getAttribute("data-confirm");
    if (message && !window.confirm(message)) {
      event.preventDefault();
    }
  });
  // Auto-submit filter forms when a select changes: <form data-autosubmit>.
  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (form && form.hasAttribute("data-autosubmit") && event.target.tagName === "SELECT") {
      form.requestSubmit ? form.requestSubmit() : form.submit();
    }
  });
  // Phones show a list table marked .table-stack as one card per row (see app.css); each cell
  // is labelled with its column heading so that the card still says what each value is.
  function labelStackedTables(root) {
    var tables = (root || document).querySelectorAll("table.table-stack");
    Array.prototype.forEach.call(tables, function (table) {
      var headings = [];
      Array.prototype.forEach.call(table.querySelectorAll("thead tr:last-child th"), function (th) {
        var span = th.colSpan || 1;
        for (var i = 0; i < span; i++) {
          headings.push(th.textContent.trim());
        }
      });
      Array.prototype.forEach.call(table.querySelectorAll("tbody tr, tfoot tr"), function (tr) {
        var column = 0;
        Array.prototype.forEach.call(tr.children, function (cell) {
          var label = headings[column];
          if (label && cell.colSpan === 1 && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", label);
          }
          column += cell.colSpan || 1;
        });
      });
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    labelStackedTables(document);
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    labelStackedTables(event.target);
  });
})();
