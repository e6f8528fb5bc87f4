// The basket's refusal (« Impossible d'ajouter cet article… ») as a modal dialog closed
// with « OK ». Progressive enhancement: without this file the page shows the same
// message in a block, with an « OK » link.
(function () {
  "use strict";

  var block = document.querySelector("[data-basket-refusal]");
  if (!block || typeof HTMLDialogElement !== "function") {
    return;
  }
  var text = block.querySelector("[data-refusal-text]");
  var okLink = block.querySelector("[data-refusal-ok]");

  var dialog = document.createElement("dialog");
  dialog.className = "payments-dialog";
  dialog.setAttribute("aria-labelledby", "basket-refusal-text");

  var message = document.createElement("p");
  message.id = "basket-refusal-text";
  message.textContent = text.textContent;

  var form = document.createElement("form");
  form.method = "dialog";
  var ok = document.createElement("button");
  ok.type = "submit";
  ok.className = "button";
  ok.textContent = okLink.textContent;
  form.appendChild(ok);

  dialog.appendChild(message);
  dialog.appendChild(form);
  block.replaceWith(dialog);

  dialog.addEventListener("close", function () {
    dialog.remove();
    // The FAQ's next step: « Accéder à votre panier », on the left.
    var basketLink = document.querySelector("[data-basket-link]");
    if (basketLink) {
      basketLink.focus();
    }
  });
  dialog.showModal();
  ok.focus();
})();
