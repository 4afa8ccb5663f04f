/*
 * Progressive enhancement of a detail page's tab list (templates/catalogus/detail/_tabs.html):
 * without JavaScript the tabs are links to the sections, which all stay visible. With it,
 * the ARIA tabs pattern: one panel at a time, arrow keys between tabs, the URL hash kept.
 * Licence: EUPL-1.2.
 */
(function () {
  "use strict";

  function enhance(nav) {
    var links = Array.prototype.slice.call(nav.querySelectorAll(".swc-tabs__link"));
    var panels = links.map(function (link) {
      return document.getElementById(link.getAttribute("href").slice(1));
    });
    if (!links.length || panels.indexOf(null) !== -1) {
      return;
    }
    var list = nav.querySelector(".swc-tabs__list");
    list.setAttribute("role", "tablist");

    links.forEach(function (link, index) {
      var panel = panels[index];
      link.parentNode.setAttribute("role", "presentation");
      link.setAttribute("role", "tab");
      link.setAttribute("aria-controls", panel.id);
      panel.setAttribute("role", "tabpanel");
      panel.setAttribute("aria-labelledby", link.id);
      panel.setAttribute("tabindex", "0");
    });

    function select(index, focus, remember) {
      links.forEach(function (link, i) {
        var chosen = i === index;
        link.setAttribute("aria-selected", chosen ? "true" : "false");
        link.setAttribute("tabindex", chosen ? "0" : "-1");
        panels[i].hidden = !chosen;
      });
      if (focus) {
        links[index].focus();
      }
      if (remember && history.replaceState) {
        history.replaceState(null, "", "#" + panels[index].id);
      }
    }

    links.forEach(function (link, index) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        select(index, false, true);
      });
      link.addEventListener("keydown", function (event) {
        var next = null;
        if (event.key === "ArrowRight") next = (index + 1) % links.length;
        if (event.key === "ArrowLeft") next = (index - 1 + links.length) % links.length;
        if (event.key === "Home") next = 0;
        if (event.key === "End") next = links.length - 1;
        if (next !== null) {
          event.preventDefault();
          select(next, true, true);
        }
      });
    });

    var start = panels.findIndex(function (panel) {
      return "#" + panel.id === window.location.hash;
    });
    select(start === -1 ? 0 : start, false, false);
  }

  document.querySelectorAll("[data-swc-tabs]").forEach(enhance);
})();
