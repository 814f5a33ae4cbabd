/* The indicator form (templates/monitoring/catalogue/indicator_form.html): shows the parameter fields
   of the chosen calculation only, and narrows a dependent list (a question under its questionnaire,
   options under their question) to the values of the chosen parent. Hidden inputs are disabled so
   they are not sent. Without this script every group shows and the server checks the same. */
(function () {
  "use strict";

  var each = function (list, fn) { Array.prototype.forEach.call(list, fn); };

  function chosenKey(form, name) {
    var parent = form.querySelector("select[name='" + name + "']");
    if (!parent) { return null; }
    var option = parent.options[parent.selectedIndex];
    return option && option.value ? (option.dataset.key || option.value) : null;
  }

  function narrowSelect(select, key) {
    each(select.querySelectorAll("option[data-parent]"), function (option) {
      var fits = key !== null && option.dataset.parent === key;
      option.hidden = !fits;
      option.disabled = !fits;
      if (!fits && option.selected) { option.selected = false; }
    });
    each(select.querySelectorAll("optgroup"), function (group) {
      group.hidden = !group.querySelector("option:not([hidden])");
    });
  }

  function narrowBoxes(boxes, key) {
    // Each checkbox sits in a .form-check; a group's heading is the <strong> before them.
    var wrapper = null;
    each(boxes, function (box) {
      var fits = !box.dataset.parent || (key !== null && box.dataset.parent === key);
      box.disabled = !fits;
      box.closest(".form-check").hidden = !fits;
      wrapper = box.closest(".form-check").parentElement;
    });
    if (!wrapper) { return; }
    each(wrapper.querySelectorAll(":scope > strong"), function (heading) {
      var next = heading.nextElementSibling, shown = false;
      while (next && next.tagName !== "STRONG") {
        if (next.classList.contains("form-check") && !next.hidden) { shown = true; }
        next = next.nextElementSibling;
      }
      heading.hidden = !shown;
    });
  }

  function refresh(form) {
    var calculation = form.querySelector("[name='calculation']");
    var source = form.querySelector("[name='source']");
    var computed = !source || source.value === "computed";
    each(form.querySelectorAll("[data-parameters-for]"), function (group) {
      var shown = computed && calculation && calculation.value === group.dataset.parametersFor;
      group.hidden = !shown;
      each(group.querySelectorAll("input, select, textarea"), function (input) { input.disabled = !shown; });
      if (!shown) { return; }
      var done = {};
      // Parents come before dependants: the fields are in the calculation's order.
      each(group.querySelectorAll("[data-depends-on]"), function (field) {
        if (done[field.name]) { return; }
        done[field.name] = true;
        var key = chosenKey(form, field.dataset.dependsOn);
        if (field.tagName === "SELECT") {
          narrowSelect(field, key);
        } else {
          narrowBoxes(group.querySelectorAll("input[name='" + field.name + "']"), key);
        }
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.querySelector("[data-indicator-form]");
    if (!form) { return; }
    form.addEventListener("change", function () { refresh(form); });
    refresh(form);
  });
})();
