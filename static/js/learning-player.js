// Lesson player (远程学习): sends heartbeats to the page's JSON endpoint. For a video, the stretches
// actually played since the last beat ([start, end] in seconds of the video) and the playhead; the server
// merges them and pays only for the time that really passed, so seeking ahead adds nothing. Resumes at the
// saved position; pauses when the tab is hidden. For a document, the page shown since the last beat; the
// page is turned only after the beat for the page being left. PDFs are drawn page by page with PDF.js.
(() => {
  "use strict";

  const BEAT_MS = 10000;
  const script = document.currentScript;

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch {
      return "";
    }
  }

  function makeSender(url, onResult) {
    let busy = Promise.resolve();
    return (payload, keepalive) => {
      if (!url) return busy;
      busy = busy.then(() =>
        fetch(url, {
          method: "POST",
          credentials: "same-origin",
          keepalive: Boolean(keepalive),
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify(payload),
        })
          .then((response) => response.json().then((data) => ({ ok: response.ok, data })))
          .then(({ ok, data }) => {
            onResult(ok, data);
            return ok;
          })
          .catch(() => false),
      );
      return busy;
    };
  }

  function show(data, ok) {
    const box = document.getElementById("player");
    const text = document.querySelector("[data-progress-text]");
    const bar = document.querySelector("[data-progress-bar]");
    const status = document.querySelector("[data-status]");
    if (!ok) {
      if (status && data && data.message) status.textContent = data.message;
      return;
    }
    if (text) text.textContent = `${data.percent}%`;
    if (bar) bar.style.width = `${data.percent}%`;
    if (data.completed) {
      box.dataset.completed = "1";
      if (status) status.textContent = data.courseCompleted ? "本课时已完成，整门课程已学完！" : "本课时已完成。";
      const after = document.querySelector("[data-after]");
      if (after) after.hidden = false;
    }
  }

  function video(config, send) {
    const el = document.getElementById("lesson-video");
    if (!el) return;
    let pending = []; // closed stretches not yet accepted by the server
    let start = null; // start of the stretch being played
    let last = null; // playhead at the last timeupdate

    const close = () => {
      if (start !== null && last !== null && last > start) pending.push([start, last]);
      start = el.paused ? null : el.currentTime;
      last = start;
    };
    const beat = (keepalive) => {
      close();
      const segments = pending;
      pending = [];
      send({ segments, position: el.currentTime }, keepalive).then((ok) => {
        if (!ok && segments.length) pending = segments.concat(pending).slice(-25);
      });
    };

    el.addEventListener("loadedmetadata", () => {
      const at = Number(config.position) || 0;
      if (at > 0 && at < el.duration - 1) el.currentTime = at;
    });
    el.addEventListener("playing", () => {
      start = el.currentTime;
      last = start;
    });
    el.addEventListener("timeupdate", () => {
      if (el.paused || start === null) return;
      const now = el.currentTime;
      // a jump (a seek, or a stall) ends the stretch; normal play moves less than ~1 s per event
      if (now < last || now - last > 1.5) {
        if (last > start) pending.push([start, last]);
        start = now;
      }
      last = now;
    });
    el.addEventListener("seeking", () => {
      if (start !== null && last !== null && last > start) pending.push([start, last]);
      start = null;
      last = null;
    });
    el.addEventListener("seeked", () => {
      if (!el.paused) {
        start = el.currentTime;
        last = start;
      }
    });
    el.addEventListener("pause", () => beat(false));
    el.addEventListener("ended", () => beat(false));
    document.addEventListener("visibilitychange", () => {
      if (document.hidden && !el.paused) el.pause();
    });
    window.addEventListener("pagehide", () => beat(true));
    setInterval(() => {
      if (!el.paused) beat(false);
    }, BEAT_MS);
  }

  function pages(config, send) {
    const total = Number(config.pages) || 1;
    let current = 1;
    const label = document.querySelector("[data-page-label]");
    const prev = document.querySelector("[data-prev]");
    const next = document.querySelector("[data-next]");
    const canvas = document.getElementById("pdf-canvas");
    let pdf = null;

    const draw = () => {
      if (label) label.textContent = `第 ${current} / ${total} 页`;
      if (prev) prev.disabled = current <= 1;
      if (next) next.disabled = current >= total;
      if (!pdf || !canvas) return;
      pdf.getPage(Math.min(current, pdf.numPages)).then((p) => {
        const width = canvas.parentElement.clientWidth || 320;
        const base = p.getViewport({ scale: 1 });
        const viewport = p.getViewport({ scale: (width / base.width) * (window.devicePixelRatio || 1) });
        canvas.width = viewport.width;
        canvas.height = viewport.height;
        canvas.style.width = `${width}px`;
        p.render({ canvasContext: canvas.getContext("2d"), viewport });
      });
    };
    const turn = (to) => {
      if (to < 1 || to > total || to === current) return;
      send({ page: current }); // the time on the page being left
      current = to;
      draw();
    };
    if (canvas && window.pdfjsLib && config.media) {
      window.pdfjsLib.GlobalWorkerOptions.workerSrc = script.dataset.pdfWorker;
      window.pdfjsLib
        .getDocument({ url: config.media, isEvalSupported: false })
        .promise.then((doc) => {
          pdf = doc;
          draw();
        })
        .catch(() => {
          const fallback = document.querySelector("[data-pdf-fallback]");
          if (fallback) fallback.hidden = false;
          canvas.hidden = true;
        });
    } else if (canvas) {
      const fallback = document.querySelector("[data-pdf-fallback]");
      if (fallback) fallback.hidden = false;
      canvas.hidden = true;
    }
    const saved = Math.round(Number(config.position) || 0);
    if (saved >= 1 && saved <= total) current = saved;
    if (prev) prev.addEventListener("click", () => turn(current - 1));
    if (next) next.addEventListener("click", () => turn(current + 1));
    send({ page: current });
    setInterval(() => {
      if (!document.hidden) send({ page: current });
    }, BEAT_MS);
    window.addEventListener("pagehide", () => send({ page: current }, true));
    draw();
  }

  function start() {
    const box = document.getElementById("player");
    if (!box) return;
    const source = document.getElementById(box.dataset.player);
    let config;
    try {
      config = JSON.parse(source.textContent);
    } catch {
      return;
    }
    const send = makeSender(config.beat, (ok, data) => show(data, ok));
    if (config.kind === "video") video(config, send);
    else pages(config, send);
    box.dataset.ready = "1";
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
