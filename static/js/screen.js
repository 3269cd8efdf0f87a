// Display screen: rotate the featured item every 10 s and keep the clock running.
(function () {
  const ROTATE_MS = 10000;
  function rotate() {
    const slides = document.querySelectorAll(".screen-slide");
    if (slides.length < 2) return;
    const current = [...slides].findIndex((s) => s.classList.contains("is-active"));
    slides[current].classList.remove("is-active");
    slides[(current + 1) % slides.length].classList.add("is-active");
  }
  function tick() {
    const clock = document.getElementById("screen-clock");
    if (clock) clock.textContent = new Date().toLocaleString("zh-CN", { hour12: false });
  }
  document.addEventListener("DOMContentLoaded", () => {
    tick();
    setInterval(tick, 1000);
    setInterval(rotate, ROTATE_MS);
  });
})();
