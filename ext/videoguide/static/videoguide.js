/*
 * videoguide: the guide page's player facade and timestamp links.
 *
 * Until a reader asks for the video, the page makes no request to any other
 * host: the player is a local link.  Served over http(s), activating it swaps
 * in the privacy-enhanced embed (with a referrer policy YouTube accepts), and a
 * timestamp seeks that player, loading it at the right second when needed.
 * Opened from file://, a page sends no Referer and YouTube refuses to play the
 * embed, so the facade and the timestamps open the watch page in a new tab.
 * Without JavaScript every one of them is a plain link to the video.
 */
(function () {
  "use strict";

  var offline = window.location.protocol === "file:";

  function withParam(url, name, value) {
    var parsed = new URL(url);
    parsed.searchParams.set(name, value);
    return parsed.toString();
  }

  function openInNewTab(link) {
    link.setAttribute("target", "_blank");
    link.setAttribute("rel", "noopener noreferrer");
  }

  function load(player, seconds) {
    var iframe = document.createElement("iframe");
    iframe.src = withParam(player.dataset.embedUrl, "start", String(seconds));
    iframe.title = player.dataset.videoTitle;
    iframe.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    iframe.setAttribute("allow", "autoplay; encrypted-media; picture-in-picture; fullscreen");
    iframe.setAttribute("allowfullscreen", "");
    iframe.className = "videoguide-iframe";
    player.replaceChildren(iframe);
    player.classList.add("is-loaded");
    return iframe;
  }

  function seek(player, seconds) {
    var iframe = player.querySelector("iframe");
    if (!iframe) {
      load(player, seconds);
    } else {
      var origin = new URL(iframe.src).origin;
      var send = function (func, args) {
        iframe.contentWindow.postMessage(
          JSON.stringify({ event: "command", func: func, args: args }), origin);
      };
      send("seekTo", [seconds, true]);
      send("playVideo", []);
    }
    player.scrollIntoView({ behavior: "smooth", block: "nearest" });
    document.dispatchEvent(new CustomEvent("videoguide:seek", { detail: { seconds: seconds } }));
  }

  function initPlayer(player) {
    var facade = player.querySelector(".videoguide-facade");
    if (!facade) return;
    if (offline) {
      facade.setAttribute("title", player.dataset.offlineHint);
      return;
    }
    facade.setAttribute("role", "button");
    facade.addEventListener("click", function (event) {
      event.preventDefault();
      seek(player, 0);
      player.querySelector("iframe").focus();
    });
    facade.addEventListener("keydown", function (event) {
      if (event.key === " ") {
        event.preventDefault();
        facade.click();
      }
    });
  }

  function initTimestamp(link, player) {
    if (offline || !player) {
      if (offline) openInNewTab(link);
      return;
    }
    link.addEventListener("click", function (event) {
      if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
      event.preventDefault();
      seek(player, Number(link.dataset.seconds));
    });
  }

  function init() {
    var player = document.querySelector(".videoguide-player[data-embed-url]");
    if (player) initPlayer(player);
    document.querySelectorAll("a[data-seconds]").forEach(function (link) {
      initTimestamp(link, player);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
