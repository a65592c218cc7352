// Loaded in <head>, before the body renders, so a saved theme never flashes the other one.
(function () {
  var saved = null;
  try { saved = localStorage.getItem("roost.theme"); } catch (e) { /* storage disabled */ }
  var dark = window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  document.documentElement.setAttribute("data-theme", saved || (dark ? "dark" : "light"));
})();
