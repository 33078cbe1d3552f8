// The SPARQL editor of /sparql/editor: YASGUI (vendored under /static/yasgui/) pointed at this
// server's endpoint. Nothing is loaded from elsewhere and nothing is kept in the browser's
// storage; the page's plain form works without this script.
(function () {
  "use strict";
  var root = document.getElementById("yasgui");
  if (!root || typeof window.Yasgui !== "function") {
    return;
  }
  var endpoint = root.getAttribute("data-endpoint") || "/sparql";
  var query = root.getAttribute("data-query") || "";
  var editor = new window.Yasgui(root, {
    requestConfig: { endpoint: endpoint, method: "POST" },
    copyEndpointOnNewTab: false,
    endpointCatalogueOptions: {
      getData: function () { return [{ endpoint: endpoint }]; },
      keys: []
    },
    persistenceId: null,
    populateFromUrl: false,
    autofocus: false,
    yasqe: { value: query, persistenceId: null, autocompleters: [] }
  });
  document.documentElement.className += " has-editor";
  window.kgEditor = editor; // for the browser tests: kgEditor.getTab().getYasqe()
})();
