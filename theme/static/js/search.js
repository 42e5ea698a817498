/* Byline's search page: Pagefind's UI, with the query kept in the address (/search/?q=word),
   so a search can be shared and opens with its results. Loaded on /search/ only. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof window.PagefindUI !== "function") {
    return;
  }
  var query = new URLSearchParams(window.location.search).get("q") || "";
  var ui = new window.PagefindUI({
    element: "#search",
    baseUrl: box.getAttribute("data-base-url") || "/",
    showImages: false,
    showSubResults: false,
    processTerm: function (term) {
      var address = new URL(window.location.href);
      if (term) {
        address.searchParams.set("q", term);
      } else {
        address.searchParams.delete("q");
      }
      window.history.replaceState(null, "", address);
      return term;
    },
  });
  if (query) {
    ui.triggerSearch(query);
  }
})();
