// Feedback pages: copy the tracking code; offer only the chosen station's organisations and units.
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy-code]");
  if (!button) return;
  const code = button.dataset.copyCode;
  const done = () => {
    const label = button.querySelector("[data-copy-label]") || button;
    const before = label.textContent;
    label.textContent = "已复制";
    window.setTimeout(() => { label.textContent = before; }, 2000);
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(code).then(done, () => {});
  } else {
    const field = document.createElement("textarea");
    field.value = code;
    field.setAttribute("readonly", "");
    field.style.position = "absolute";
    field.style.left = "-9999px";
    document.body.appendChild(field);
    field.select();
    try { document.execCommand("copy"); done(); } catch (e) { /* the code stays on the page to copy by hand */ }
    field.remove();
  }
});

function filterByStation(form) {
  const station = form.querySelector("[data-feedback-station]");
  if (!station) return;
  const chosen = station.value;
  form.querySelectorAll("select[data-feedback-filtered]").forEach((select) => {
    Array.from(select.options).forEach((option) => {
      if (!option.dataset.station) return;
      const hidden = Boolean(chosen) && option.dataset.station !== chosen;
      option.hidden = hidden;
      option.disabled = hidden;
      if (hidden && option.selected) select.value = "";
    });
  });
}

document.addEventListener("change", (event) => {
  if (event.target.matches("[data-feedback-station]")) filterByStation(event.target.form);
});
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("form[data-feedback-form]").forEach(filterByStation);
});
