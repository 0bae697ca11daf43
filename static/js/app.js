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
})();
