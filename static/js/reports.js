// Reports page. No inline scripts: behaviour hangs on data-* attributes.
// The parameters of a report kind (e.g. the program of the program statistics report) are
// shown, and sent, only when that kind is chosen.
(function () {
  "use strict";

  function sync(select) {
    var form = select.form;
    form.querySelectorAll("[data-report-params]").forEach(function (group) {
      var chosen = group.getAttribute("data-report-params") === select.value;
      group.hidden = !chosen;
      group.querySelectorAll("input, select, textarea").forEach(function (field) {
        field.disabled = !chosen;
      });
    });
  }

  document.querySelectorAll("form select[name=kind]").forEach(function (select) {
    if (!select.form.querySelector("[data-report-params]")) {
      return;
    }
    sync(select);
    select.addEventListener("change", function () {
      sync(select);
    });
  });
})();
