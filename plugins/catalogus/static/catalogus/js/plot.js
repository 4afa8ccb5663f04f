/* Zoom and pan for the landscape on a GEMMA view, by changing the SVG's viewBox.
 * Progressive enhancement: without JavaScript the buttons stay hidden and the drawing is
 * shown at its natural size in a scrolling frame; the table below it has the same facts.
 * Licence: EUPL-1.2. */
(function () {
  "use strict";
  var STEP = 1.25;
  var MIN_SHARE = 0.02; // zoom in to 2 % of the whole view at most (50 ×)

  document.querySelectorAll("[data-plot]").forEach(function (figure) {
    var svg = figure.querySelector("svg");
    var controls = figure.querySelector("[data-plot-controls]");
    var zoomText = figure.querySelector("[data-plot-zoom]");
    if (!svg || !controls || !svg.viewBox || !svg.viewBox.baseVal) return;
    var base = svg.viewBox.baseVal;
    var whole = { x: base.x, y: base.y, w: base.width, h: base.height };
    var box = { x: whole.x, y: whole.y, w: whole.w, h: whole.h };

    svg.removeAttribute("width");
    svg.removeAttribute("height");
    figure.classList.add("swc-plot--interactive");
    controls.hidden = false;
    var hint = figure.querySelector("[data-plot-hint]");
    if (hint) hint.hidden = false;

    function apply() {
      svg.setAttribute("viewBox", [box.x, box.y, box.w, box.h].join(" "));
      if (zoomText) zoomText.textContent = Math.round((whole.w / box.w) * 100) + "%";
    }

    function zoom(factor, cx, cy) {
      var w = Math.min(Math.max(box.w / factor, whole.w * MIN_SHARE), whole.w * 2);
      var real = box.w / w;
      var h = box.h / real;
      if (cx === undefined) {
        cx = box.x + box.w / 2;
        cy = box.y + box.h / 2;
      }
      box.x = cx - (cx - box.x) / real;
      box.y = cy - (cy - box.y) / real;
      box.w = w;
      box.h = h;
      apply();
    }

    function pan(dx, dy) {
      box.x += dx;
      box.y += dy;
      apply();
    }

    function toView(clientX, clientY) {
      var matrix = svg.getScreenCTM();
      if (!matrix) return null;
      var point = svg.createSVGPoint();
      point.x = clientX;
      point.y = clientY;
      return point.matrixTransform(matrix.inverse());
    }

    controls.addEventListener("click", function (event) {
      var button = event.target.closest("[data-plot-action]");
      if (!button) return;
      var action = button.getAttribute("data-plot-action");
      if (action === "in") zoom(STEP);
      else if (action === "out") zoom(1 / STEP);
      else if (action === "left") pan(-box.w / 5, 0);
      else if (action === "right") pan(box.w / 5, 0);
      else if (action === "up") pan(0, -box.h / 5);
      else if (action === "down") pan(0, box.h / 5);
      else if (action === "reset") {
        box = { x: whole.x, y: whole.y, w: whole.w, h: whole.h };
        apply();
      }
    });

    svg.addEventListener(
      "wheel",
      function (event) {
        event.preventDefault();
        var at = toView(event.clientX, event.clientY);
        var factor = event.deltaY < 0 ? STEP : 1 / STEP;
        if (at) zoom(factor, at.x, at.y);
        else zoom(factor);
      },
      { passive: false }
    );

    var drag = null;
    var moved = false;
    svg.addEventListener("pointerdown", function (event) {
      if (event.button !== 0) return;
      var matrix = svg.getScreenCTM();
      if (!matrix) return;
      drag = { x: event.clientX, y: event.clientY, scale: matrix.a, box: { x: box.x, y: box.y } };
      moved = false;
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var dx = event.clientX - drag.x;
      var dy = event.clientY - drag.y;
      if (!moved && Math.abs(dx) + Math.abs(dy) < 4) return;
      if (!moved) {
        moved = true;
        svg.setPointerCapture(event.pointerId);
        figure.classList.add("swc-plot--dragging");
      }
      box.x = drag.box.x - dx / drag.scale;
      box.y = drag.box.y - dy / drag.scale;
      apply();
    });
    function stop() {
      drag = null;
      figure.classList.remove("swc-plot--dragging");
    }
    svg.addEventListener("pointerup", stop);
    svg.addEventListener("pointercancel", stop);
    // A drag that ends on an application's name must not follow its link.
    svg.addEventListener(
      "click",
      function (event) {
        if (moved) {
          event.preventDefault();
          moved = false;
        }
      },
      true
    );
    apply();
  });
})();
