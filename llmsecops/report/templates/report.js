(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var items = Array.prototype.slice.call(document.querySelectorAll("article.finding"));
  var texts = items.map(function (el) { return el.textContent.toLowerCase(); });
  var sev = document.getElementById("f-severity");
  var scanner = document.getElementById("f-scanner");
  var owasp = document.getElementById("f-owasp");
  var suppressed = document.getElementById("f-suppressed");
  var search = document.getElementById("f-search");
  var count = document.getElementById("count");
  function apply() {
    var s = sev.value, sc = scanner.value, o = owasp.value, sp = suppressed.value;
    var q = search.value.trim().toLowerCase();
    var shown = 0;
    for (var i = 0; i < items.length; i++) {
      var el = items[i];
      var ok = (!s || el.getAttribute("data-severity") === s)
        && (!sc || el.getAttribute("data-scanner") === sc)
        && (!o || (" " + el.getAttribute("data-owasp") + " ").indexOf(" " + o + " ") >= 0)
        && (!sp || el.getAttribute("data-suppressed") === sp)
        && (!q || texts[i].indexOf(q) >= 0);
      if (el.hidden === ok) { el.hidden = !ok; }
      if (ok) { shown++; }
    }
    count.textContent = shown + " of " + items.length + " finding(s) shown";
  }
  [sev, scanner, owasp, suppressed].forEach(function (el) { el.addEventListener("change", apply); });
  var timer = null;
  search.addEventListener("input", function () {
    if (timer) { clearTimeout(timer); }
    timer = setTimeout(apply, 120);
  });
  apply();
})();
