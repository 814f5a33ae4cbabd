/* The portal's only script of its own, loaded by templates/base.html after Bootstrap and htmx.
   The Content-Security-Policy allows no inline script and no inline style attribute, so behaviour
   that used to sit in onchange= / onfocus= / href="javascript:…" / <script> blocks is here, bound
   by data attributes:
     data-autosubmit         on a <select>: submit its form when the choice changes
     data-select-on-focus    on an <input>: select the whole value on focus (links to copy)
     data-history-back       on a link: go back one page
     .js-copy[data-target]   a hidden copy button: shown where the clipboard API exists, copies
                             the value of the element with that id
     data-progress="42"      on a progress bar: its width (htmx swaps it in while a job runs) */
(function () {
  "use strict";

  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-autosubmit]") && field.form) {
      field.form.submit();
    }
  });

  document.addEventListener("focusin", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-select-on-focus]")) {
      field.select();
    }
  });

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-history-back]");
    if (link) {
      event.preventDefault();
      window.history.back();
    }
  });

  function enhance(root) {
    root.querySelectorAll("[data-progress]").forEach(function (bar) {
      // CSSOM, not a style attribute: allowed by the policy.
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0)) + "%";
    });
    if (!navigator.clipboard) { return; }
    root.querySelectorAll(".js-copy").forEach(function (button) {
      if (button.dataset.copyReady) { return; }
      button.dataset.copyReady = "1";
      button.classList.remove("d-none");
      button.addEventListener("click", function () {
        navigator.clipboard.writeText(document.getElementById(button.dataset.target).value).then(function () {
          button.innerHTML = '<i class="bi bi-check-lg"></i>';
        });
      });
    });
  }

  if (window.htmx) {
    // Runs for the page and again for every fragment htmx swaps in.
    window.htmx.onLoad(enhance);
  } else {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  }
})();
