/* Small behaviours for every page, in place of inline event handlers and style
   attributes, which the Content-Security-Policy refuses (script-src and style-src
   'self', no 'unsafe-inline'). Loaded by base.html after htmx. */
(function () {
  "use strict";

  // <select data-autosubmit>: choosing an option submits its form (the form keeps
  // a <noscript> button for those without JavaScript).
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (!field.matches || !field.matches("[data-autosubmit]") || !field.form) {
      return;
    }
    if (typeof field.form.requestSubmit === "function") {
      field.form.requestSubmit();
    } else {
      field.form.submit();
    }
  });

  // <input data-select-on-click>: a click selects the whole value, ready to copy.
  document.addEventListener("click", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-select-on-click]")) {
      field.select();
    }
  });

  // <div class="progress-bar" data-progress="40">: the bar's width, set through the
  // CSSOM (allowed by the policy, unlike a style attribute in the markup). Run for
  // the page and again for every piece htmx swaps in (the import progress polls).
  function sizeBars(root) {
    if (!root || !root.querySelectorAll) {
      return;
    }
    var bars = root.querySelectorAll("[data-progress]");
    if (root.matches && root.matches("[data-progress]")) {
      bars = [root].concat(Array.prototype.slice.call(bars));
    }
    Array.prototype.forEach.call(bars, function (bar) {
      var percent = Math.max(0, Math.min(100, Number(bar.dataset.progress) || 0));
      bar.style.width = percent + "%";
    });
  }
  sizeBars(document);
  document.addEventListener("htmx:load", function (event) {
    sizeBars(event.target);
  });
})();
