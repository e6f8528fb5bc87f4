// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Bring the error summary into view and focus, so that screen readers read it first.
  var summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }

  // « mot de passe oublié » carries the identifier already typed in the login box. It is
  // posted, never put in the address: URLs end up in histories and access logs.
  document.querySelectorAll("[data-forgotten-link]").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var login = link.closest("section, .narrow") || document;
      var typed = login.querySelector("input[name=username]");
      var token = login.querySelector("input[name=csrfmiddlewaretoken]");
      var identifier = typed && typed.value.trim();
      if (!identifier || !token) {
        return;
      }
      event.preventDefault();
      var form = document.createElement("form");
      form.method = "post";
      form.action = link.href;
      form.hidden = true;
      [["csrfmiddlewaretoken", token.value], ["identifier", identifier]].forEach(function (pair) {
        var input = document.createElement("input");
        input.type = "hidden";
        input.name = pair[0];
        input.value = pair[1];
        form.appendChild(input);
      });
      document.body.appendChild(form);
      form.submit();
    });
  });
})();
