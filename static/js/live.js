// Live events (DB3212/T 1124 §7.1 real-time propagation), no framework.
// <body data-live-channels="station-3 platform"> opens one EventSource per channel on /events/<channel>/.
// Every event is re-dispatched on document as CustomEvent("live:" + name, {detail: data}); pages listen
// with document.addEventListener("live:article.published", ...). `article.published` also shows a
// dismissible banner in #live-banner. SSE delivers only the event names a page listens for, so names
// beyond LIVE_EVENTS are declared with <body data-live-events="name other.name">.
(() => {
  "use strict";

  const CHANNEL = /^(platform|station-\d{1,12})$/;
  const LIVE_EVENTS = ["article.published"];
  const MAX_BANNERS = 3;
  const body = document.body;
  if (!body || !("EventSource" in window)) return;

  const words = (value) => (value || "").split(/\s+/).filter(Boolean);
  const channels = [...new Set(words(body.dataset.liveChannels))].filter((c) => CHANNEL.test(c));
  const eventNames = [...new Set([...LIVE_EVENTS, ...words(body.dataset.liveEvents)])];
  if (!channels.length) return;

  // A link only to a path of this site: "/x", never "//host", "/\host" or "javascript:".
  const isLocalPath = (url) => typeof url === "string" && /^\/(?![\/\\])/.test(url);

  function showArticleBanner(data) {
    const container = document.getElementById("live-banner");
    if (!container || !data || typeof data.title !== "string") return;
    const alert = document.createElement("div");
    alert.className = "alert alert-warning alert-dismissible fade show d-flex align-items-center gap-2";
    alert.setAttribute("role", "status");
    const icon = document.createElement("i");
    icon.className = "bi bi-megaphone";
    icon.setAttribute("aria-hidden", "true");
    const text = document.createElement("span");
    text.append("新发布：");
    const title = document.createElement(isLocalPath(data.url) ? "a" : "span");
    title.className = "alert-link";
    title.textContent = data.title;
    if (title.tagName === "A") title.href = data.url;
    text.append(title);
    const close = document.createElement("button");
    close.type = "button";
    close.className = "btn-close";
    close.setAttribute("data-bs-dismiss", "alert");
    close.setAttribute("aria-label", "关闭");
    alert.append(icon, text, close);
    container.prepend(alert);
    while (container.children.length > MAX_BANNERS) container.lastElementChild.remove();
  }

  function relay(name, raw) {
    let data;
    try {
      data = JSON.parse(raw);
    } catch {
      return;
    }
    document.dispatchEvent(new CustomEvent("live:" + name, { detail: data }));
    if (name === "article.published") showArticleBanner(data);
  }

  // Channels whose stream is open, e.g. data-live-open="station-3 platform" (pages and tests can wait on it).
  function markOpen(channel, open) {
    const current = new Set(words(body.dataset.liveOpen));
    if (open) current.add(channel);
    else current.delete(channel);
    body.dataset.liveOpen = [...current].join(" ");
  }

  for (const channel of channels) {
    const source = new EventSource("/events/" + channel + "/");
    for (const name of eventNames) source.addEventListener(name, (event) => relay(name, event.data));
    source.addEventListener("open", () => markOpen(channel, true));
    source.addEventListener("error", () => markOpen(channel, false));
  }
})();
