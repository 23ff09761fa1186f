/*
 * The behaviour of the Dragonfly guide series, named by each guide's js_path:
 * when the player seeks to a moment, the timestamps of that moment are marked
 * as current, so a reader sees where in the guide the video now is.
 * The player itself is videoguide's (see videoguide.js), which announces each
 * seek with a "videoguide:seek" event.
 */
(function () {
  "use strict";
  document.addEventListener("videoguide:seek", function (event) {
    var seconds = String(event.detail.seconds);
    document.querySelectorAll("a[data-seconds]").forEach(function (link) {
      var current = link.dataset.seconds === seconds;
      link.classList.toggle("is-current", current);
      if (current) {
        link.setAttribute("aria-current", "true");
      } else {
        link.removeAttribute("aria-current");
      }
    });
  });
})();
