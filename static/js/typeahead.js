/* Type-ahead pickers (core/widgets.py), loaded by templates/base.html after Tom Select.
     select[data-typeahead="<url>"]   options come from the JSON endpoint as the user types
                                      ({"results": [{"id", "text"}], "more"}); the page carries only
                                      the chosen option, the server checks the id against the scope
     select[data-typeahead-local]     a long but complete <select> (scope pickers): searchable in place
   No inline script (Content-Security-Policy): everything is bound here by data attributes. */
(function () {
  "use strict";

  var MESSAGES = {
    no_results: function () { return '<div class="no-results">Ничего не найдено</div>'; },
    loading: function () { return '<div class="spinner-border spinner-border-sm m-2" role="status"><span class="visually-hidden">Поиск…</span></div>'; },
    not_loading: function () { return '<div class="no-results text-muted">Введите несколько букв</div>'; }
  };

  function remote(select) {
    var url = select.dataset.typeahead;
    var minChars = Number(select.dataset.typeaheadMin) || 2;
    return new window.TomSelect(select, {
      valueField: "id",
      labelField: "text",
      searchField: [],  // the server has matched already (Cyrillic case, «ё», word order)
      score: function () { return function () { return 1; }; },
      loadThrottle: 250,
      maxOptions: null,
      placeholder: select.dataset.placeholder || "",
      allowEmptyOption: false,  // the empty «---------» is not a choice in the list; an optional field has ×
      plugins: select.required ? [] : ["clear_button"],
      shouldLoad: function (query) { return query.length >= minChars; },
      load: function (query, callback) {
        var self = this;
        var glue = url.indexOf("?") >= 0 ? "&" : "?";
        fetch(url + glue + "q=" + encodeURIComponent(query), {
          credentials: "same-origin",
          headers: { "Accept": "application/json", "X-Requested-With": "XMLHttpRequest" }
        }).then(function (response) {
          if (!response.ok) { throw new Error(response.status); }
          return response.json();
        }).then(function (data) {
          self.clearOptions();  // keep only this query's answers (and the chosen one)
          callback(data.results || []);
        }).catch(function () { callback(); });
      },
      render: MESSAGES
    });
  }

  function local(select) {
    return new window.TomSelect(select, {
      maxOptions: null,
      allowEmptyOption: true,
      render: { no_results: MESSAGES.no_results }
    });
  }

  function enhance(root) {
    if (!window.TomSelect) { return; }  // the plain <select> still works
    root.querySelectorAll("select[data-typeahead]").forEach(function (select) {
      if (!select.tomselect) { remote(select); }
    });
    root.querySelectorAll("select[data-typeahead-local]").forEach(function (select) {
      if (!select.tomselect) { local(select); }
    });
  }

  if (window.htmx) {
    window.htmx.onLoad(enhance);
  } else {
    document.addEventListener("DOMContentLoaded", function () { enhance(document); });
  }
})();
