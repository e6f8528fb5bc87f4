// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Bring the error summary into view and focus, so that screen readers read it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // « mot de passe oublié » carries the identifier already typed in the login box.
  document.querySelectorAll("[data-forgotten-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var form = document.querySelector("input[name=username]");
      var identifier = form && form.value.trim();
      if (identifier) {
        event.preventDefault();
        window.location.href = link.href + "?identifiant=" + encodeURIComponent(identifier);
      }
    });
  });
})();
