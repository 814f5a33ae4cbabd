/* The portal's only script of its own, loaded by templates/base.html after Bootstrap and htmx.
   The Content-Security-Policy allows no inline script and no inline style attribute, so behaviour
   that used to sit in onchange= / onfocus= / href="javascript:…" / <script> blocks is here, bound
   by data attributes:
     data-autosubmit         on a <select>: submit its form when the choice changes
     data-select-on-focus    on an <input>: select the whole value on focus (links to copy)
     data-history-back       on a link: go back one page
     .js-copy[data-target]   a hidden copy button: shown where the clipboard API exists, copies
                             the value of the element with that id
     data-progress="42"      on a progress bar: its width (htmx swaps it in while a job runs)
     data-no-busy            on a POST form (or an hx-post element): no busy feedback (see below)

   Busy feedback (issue 14.4): a long action (a справка, its PDF, approval, signing, «Пересчитать»,
   an import…) is a POST, and in the embedded default the request itself may take seconds. Every
   POST form therefore turns busy when it is submitted: its submit buttons are disabled (a second
   click submits nothing), the pressed one shows a Bootstrap spinner and «Выполняется…», and the
   form carries aria-busy and data-busy. The page the server answers with then carries the one
   message about the result. htmx requests other than GET (polling stays quiet) do the same for
   their element until the response arrives. Opt out with data-no-busy on the form or an ancestor
   (e.g. a POST form whose answer is a file download: the page stays and the buttons would too). */
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

  var BUSY_LABEL = "Выполняется…";

  function submitButtons(form) {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.type === "submit";
    });
  }

  function spinner() {
    var mark = document.createElement("span");
    mark.className = "spinner-border spinner-border-sm me-1 js-busy-spinner";
    mark.setAttribute("aria-hidden", "true");
    return mark;
  }

  function showBusy(button) {
    if (button.dataset.busyLabel !== undefined) { return; }
    if (button.tagName === "INPUT") {
      button.dataset.busyLabel = button.value;
      button.value = BUSY_LABEL;
    } else {
      button.dataset.busyLabel = button.innerHTML;
      button.textContent = " " + BUSY_LABEL;
      button.insertBefore(spinner(), button.firstChild);
    }
  }

  function markBusy(form, submitter) {
    form.dataset.busy = "1";
    form.setAttribute("aria-busy", "true");
    var buttons = submitButtons(form);
    var pressed = submitter && buttons.indexOf(submitter) >= 0 ? submitter : buttons[0];
    // Disabled only after the browser has read the form: a disabled submitter would drop its
    // name=value (e.g. action=held) from what is sent.
    window.setTimeout(function () {
      if (!form.dataset.busy) { return; }  // an htmx answer came back first
      buttons.forEach(function (button) {
        button.dataset.busyWasDisabled = button.disabled ? "1" : "";
        button.disabled = true;
      });
      if (pressed) { showBusy(pressed); }
    }, 0);
  }

  function clearBusy(form) {
    delete form.dataset.busy;
    form.removeAttribute("aria-busy");
    submitButtons(form).forEach(function (button) {
      if (button.dataset.busyLabel !== undefined) {
        if (button.tagName === "INPUT") { button.value = button.dataset.busyLabel; }
        else { button.innerHTML = button.dataset.busyLabel; }
        delete button.dataset.busyLabel;
      }
      if (button.dataset.busyWasDisabled !== undefined) {
        button.disabled = button.dataset.busyWasDisabled === "1";
        delete button.dataset.busyWasDisabled;
      }
    });
  }

  function optedOut(element) {
    return Boolean(element.closest && element.closest("[data-no-busy]"));
  }

  function isPostForm(form) {
    return (form.getAttribute("method") || "get").toLowerCase() === "post";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || optedOut(form)) { return; }
    if (form.dataset.busy) {  // already sent: the second click sends nothing
      event.preventDefault();
      return;
    }
    // Another handler (htmx, a validation script) took the submit: htmx's own events below.
    if (event.defaultPrevented || !isPostForm(form)) { return; }
    var target = (event.submitter && event.submitter.getAttribute("formtarget")) || form.getAttribute("target");
    if (target && target !== "_self") { return; }  // the answer opens elsewhere: this page stays usable
    markBusy(form, event.submitter);
  });

  // Back to a page kept in the browser's cache: its forms are usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) { return; }
    document.querySelectorAll("form[data-busy]").forEach(clearBusy);
  });

  function htmxVerb(event) {
    var config = event.detail && event.detail.requestConfig;
    return ((config && config.verb) || "get").toLowerCase();
  }

  // Before htmx queues a request: one triggered again while the last is still out is dropped, not
  // queued to go once the answer comes (htmx's default for an element with a request in flight).
  document.addEventListener("htmx:confirm", function (event) {
    var element = event.detail && event.detail.elt;
    var verb = ((event.detail && event.detail.verb) || "get").toLowerCase();
    if (element && verb !== "get" && element.dataset.busy && !optedOut(element)) {
      event.preventDefault();
    }
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var element = event.detail && event.detail.elt;
    if (!element || htmxVerb(event) === "get" || optedOut(element)) { return; }
    if (element.dataset.busy) {  // still waiting for the answer to the last one
      event.preventDefault();
      return;
    }
    element.dataset.busy = "1";
    element.setAttribute("aria-busy", "true");
    if (element instanceof HTMLFormElement) {
      markBusy(element, null);
    } else {
      // A field that posts itself (hx-trigger="change"): held still until the answer comes.
      element.dataset.busyWasDisabled = element.disabled ? "1" : "";
      window.setTimeout(function () { if (element.dataset.busy) { element.disabled = true; } }, 0);
    }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var element = event.detail && event.detail.elt;
    if (!element || !element.dataset.busy) { return; }
    if (element instanceof HTMLFormElement) {
      clearBusy(element);
      return;
    }
    delete element.dataset.busy;
    element.removeAttribute("aria-busy");
    element.disabled = element.dataset.busyWasDisabled === "1";
    delete element.dataset.busyWasDisabled;
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
