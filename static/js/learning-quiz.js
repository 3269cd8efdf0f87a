// Quiz countdown (测验限时): shows the time left until the attempt's deadline and submits the paper when
// it runs out. The server keeps its own deadline; this only helps the learner hand in on time.
(() => {
  "use strict";

  function start() {
    const box = document.querySelector("[data-deadline]");
    const paper = document.getElementById("paper");
    if (!box || !paper) return;
    const deadline = Date.parse(box.dataset.deadline);
    const out = box.querySelector("[data-remaining]");
    let sent = false;
    paper.addEventListener("submit", () => {
      sent = true;
    });
    const tick = () => {
      const left = Math.max(0, Math.floor((deadline - Date.now()) / 1000));
      const minutes = String(Math.floor(left / 60)).padStart(2, "0");
      const seconds = String(left % 60).padStart(2, "0");
      out.textContent = `${minutes}:${seconds}`;
      if (left === 0 && !sent) {
        sent = true;
        paper.requestSubmit();
      }
    };
    tick();
    setInterval(tick, 1000);
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
