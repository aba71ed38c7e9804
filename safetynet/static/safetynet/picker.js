// Searchable pickers (issue #21): a text box above a long <select> (e.g. 371 villages)
// narrows its options to those whose name or code contains what is typed. Plain script,
// no library; works with touch keyboards (the "input" event) and on pages htmx swaps in.
(function () {
  "use strict";

  function setup(select) {
    if (select.dataset.pickerReady) return;
    var input = document.getElementById(select.dataset.filterInput);
    var status = document.getElementById(select.dataset.filterStatus);
    if (!input) return;
    select.dataset.pickerReady = "1";
    var all = Array.prototype.map.call(select.options, function (o) {
      return { value: o.value, text: o.text, key: (o.text + " " + o.value).toLowerCase() };
    });
    input.addEventListener("input", function () {
      var words = input.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
      var current = select.value;
      var shown = all.filter(function (o) {
        return words.every(function (w) { return o.key.indexOf(w) >= 0; });
      });
      var keep = shown.length ? shown : all.filter(function (o) { return o.value === current; });
      var still = keep.some(function (o) { return o.value === current; });
      select.innerHTML = "";
      keep.forEach(function (o, i) {
        var chosen = still ? o.value === current : i === 0;
        select.add(new Option(o.text, o.value, chosen, chosen));
      });
      if (status) {
        status.textContent = words.length
          ? (shown.length ? select.dataset.filterFound.replace("%(n)s", shown.length)
                          : select.dataset.filterNone)
          : "";
      }
    });
  }

  function init() {
    document.querySelectorAll("select[data-filter-input]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
  document.addEventListener("htmx:afterSwap", init);
})();
