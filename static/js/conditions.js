// Shows and hides the questions of a page as the citizen answers, mirroring the rules
// the server applies (procedures/catalogue/conditions.py). Progressive enhancement only:
// without this file every question is shown with its condition in words, and the server
// drops whatever a hidden question received. Conditions are data (data-condition), never
// code: nothing here evaluates text.
(function () {
  "use strict";

  var form = document.querySelector("form[data-conditions]");
  if (!form) {
    return;
  }
  var live = form.querySelector("[data-conditions-live]");
  var items = Array.prototype.slice.call(form.querySelectorAll("[data-condition]"));
  if (!items.length) {
    return;
  }

  function answerOf(name) {
    var inputs = form.querySelectorAll("[name='" + name + "']");
    var values = [];
    Array.prototype.forEach.call(inputs, function (input) {
      if (input.type === "checkbox" || input.type === "radio") {
        if (input.checked) {
          values.push(input.type === "checkbox" && input.value === "on" ? true : input.value);
        }
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }

  function parse(value, kind) {
    if (kind === "date") {
      var parts = String(value).indexOf("/") > -1 ? String(value).split("/").reverse() : String(value).split("-");
      var time = Date.UTC(+parts[0], +parts[1] - 1, +parts[2]);
      return isNaN(time) ? null : time;
    }
    var number = parseFloat(String(value).replace(",", "."));
    return isNaN(number) ? null : number;
  }

  function holds(rule) {
    var given = answerOf(rule.source);
    if (rule.operator === "non_cochee") {
      return given.length === 0 || given[0] === "non" || given[0] === false;
    }
    if (!given.length) {
      return false;
    }
    var texts = given.map(String);
    var value = String(rule.value).trim();
    switch (rule.operator) {
      case "cochee":
        return given[0] === true || given[0] === "oui";
      case "egal":
        return texts.indexOf(value) > -1;
      case "different":
        return texts.indexOf(value) === -1;
      case "parmi":
        return value.split(";").some(function (part) {
          return texts.indexOf(part.trim()) > -1;
        });
      default:
        var left = parse(given[0], rule.kind);
        var right = parse(value, rule.kind);
        if (left === null || right === null) {
          return false;
        }
        return {
          superieur: left > right,
          au_moins: left >= right,
          inferieur: left < right,
          au_plus: left <= right
        }[rule.operator] || false;
    }
  }

  function update(announce) {
    var changes = [];
    items.forEach(function (item) {
      var condition = JSON.parse(item.getAttribute("data-condition"));
      var results = condition.rules.map(holds);
      var visible = condition.join === "ou" ? results.indexOf(true) > -1 : results.indexOf(false) === -1;
      if (item.hidden === visible) {
        item.hidden = !visible;
        changes.push((visible ? "Question affichée : " : "Question masquée : ") + item.getAttribute("data-label"));
      }
    });
    if (announce && live && changes.length) {
      live.textContent = changes.join(". ") + ".";
    }
  }

  form.addEventListener("change", function () {
    update(true);
  });
  update(false);
})();
