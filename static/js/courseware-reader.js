// The courseware reader (templates courseware/reader.html), one screen at a time; the buttons and the
// arrow keys turn pages. A PDF is drawn by the vendored PDF.js into a canvas as wide as the reader (sharp
// on high-density phone screens; nothing of the file is evaluated as code: isEvalSupported false). An
// e-book is shown by the vendored epub.js (with JSZip, classic scripts deferred before this module),
// fetched as bytes; the book's own scripts never run (epub.js sandboxes its frame, our CSP allows only
// our scripts).
const reader = document.getElementById("cw-reader");
const view = reader.querySelector("[data-reader-view]");
const status = reader.querySelector("[data-reader-status]");
const position = reader.querySelector("[data-reader-position]");
const prev = reader.querySelector("[data-reader-prev]");
const next = reader.querySelector("[data-reader-next]");

function fail() {
  status.textContent = reader.dataset.failure;
  status.hidden = false;
}

function turnPagesWith(back, forward) {
  prev.addEventListener("click", () => back().catch(fail));
  next.addEventListener("click", () => forward().catch(fail));
  document.addEventListener("keydown", (event) => {
    if (event.key === "ArrowLeft") back().catch(fail);
    if (event.key === "ArrowRight") forward().catch(fail);
  });
}

function showPosition(text, atStart, atEnd) {
  position.textContent = text;
  prev.disabled = atStart;
  next.disabled = atEnd;
  status.hidden = true;
}

async function openPdf() {
  const pdfjs = await import(reader.dataset.lib);
  pdfjs.GlobalWorkerOptions.workerSrc = reader.dataset.worker;
  const doc = await pdfjs.getDocument({ url: reader.dataset.src, isEvalSupported: false, verbosity: 0 }).promise;
  const canvas = document.createElement("canvas");
  canvas.setAttribute("role", "img");
  view.append(canvas);
  let current = 1;
  let task = null;

  async function show(number) {
    current = Math.min(Math.max(1, number), doc.numPages);
    const page = await doc.getPage(current);
    const ratio = window.devicePixelRatio || 1;
    const scale = view.clientWidth / page.getViewport({ scale: 1 }).width;
    const viewport = page.getViewport({ scale: scale * ratio });
    canvas.width = Math.floor(viewport.width);
    canvas.height = Math.floor(viewport.height);
    canvas.style.width = `${Math.floor(viewport.width / ratio)}px`;
    canvas.setAttribute("aria-label", `第 ${current} 页`);
    if (task) task.cancel();
    task = page.render({ canvas, canvasContext: canvas.getContext("2d"), viewport });
    try {
      await task.promise;
    } catch (error) {
      if (error && error.name !== "RenderingCancelledException") throw error;
    }
    showPosition(`第 ${current} / ${doc.numPages} 页`, current <= 1, current >= doc.numPages);
  }

  turnPagesWith(() => show(current - 1), () => show(current + 1));
  await show(1);
}

async function openEpub() {
  const response = await fetch(reader.dataset.src, { credentials: "same-origin" });
  if (!response.ok) throw new Error(String(response.status));
  const book = window.ePub(await response.arrayBuffer());
  view.dataset.kind = "epub";
  status.hidden = true;
  const rendition = book.renderTo(view, { width: "100%", height: "100%", spread: "none" });
  rendition.on("relocated", (location) => {
    showPosition(`第 ${location.start.index + 1} / ${book.spine.length} 章`, location.atStart, location.atEnd);
  });
  turnPagesWith(() => rendition.prev(), () => rendition.next());
  await rendition.display();
}

(reader.dataset.kind === "pdf" ? openPdf() : openEpub())
  .then(() => {
    reader.dataset.ready = "true";
  })
  .catch(fail);
