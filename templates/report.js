// One control per prompt drives all of its videos: play/pause together, seek together.
// Videos are muted (browsers only autoplay muted media) and loop; clips of different lengths
// are each clamped to their own end when seeking.
(function () {
  "use strict";
  function setUp(section) {
    var videos = Array.prototype.slice.call(section.querySelectorAll("video"));
    var button = section.querySelector("button.play");
    var seek = section.querySelector("input.seek");
    var time = section.querySelector(".time");
    if (!videos.length || !button || !seek || !time) { return; }
    var lead = videos[0];
    var playing = false;
    var seeking = false;
    function longest() {
      return videos.reduce(function (max, v) { return isFinite(v.duration) ? Math.max(max, v.duration) : max; }, 0);
    }
    function show(t) { time.textContent = t.toFixed(2) + " s"; }
    function seekAll(t) {
      videos.forEach(function (v) { if (isFinite(v.duration)) { v.currentTime = Math.min(t, v.duration); } });
      show(t);
    }
    videos.forEach(function (v) {
      v.muted = true;
      // data-duration tells a reader (and the headless test) that the clip was loaded.
      v.addEventListener("loadedmetadata", function () {
        v.dataset.duration = v.duration.toFixed(3);
        seek.max = longest().toFixed(2);
      });
      v.addEventListener("error", function () { v.parentNode.classList.add("broken"); });
    });
    button.addEventListener("click", function () {
      playing = !playing;
      if (playing) {
        seekAll(lead.currentTime);
        videos.forEach(function (v) { var p = v.play(); if (p) { p.catch(function () {}); } });
      } else {
        videos.forEach(function (v) { v.pause(); });
      }
      button.textContent = playing ? "Pause all" : "Play all";
    });
    seek.addEventListener("input", function () { seeking = true; seekAll(parseFloat(seek.value)); });
    seek.addEventListener("change", function () { seeking = false; });
    // Clips start decoding at slightly different moments: pull any that drifted back in line
    // with the first one (a clip shorter than the current time loops on its own).
    function realign() {
      var t = lead.currentTime;
      videos.forEach(function (v) {
        if (v !== lead && t < v.duration && Math.abs(v.currentTime - t) > 0.25) { v.currentTime = t; }
      });
    }
    lead.addEventListener("timeupdate", function () {
      if (seeking) { return; }
      seek.value = lead.currentTime;
      show(lead.currentTime);
      if (playing) { realign(); }
    });
  }
  document.querySelectorAll("section.prompt").forEach(setUp);
})();
