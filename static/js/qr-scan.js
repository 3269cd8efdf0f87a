// QR check-in with the phone's camera (activities, issue 10 §4), decoded by the vendored jsQR.
// [data-scanner][data-mode=token]: the guide reads the registration QR codes on people's phones and sends
// each to the check-in API (data-endpoint) with a nonce of its own; a retry after a network failure sends
// the same nonce, so it counts once. The page keeps scanning and shows each result big.
// [data-scanner][data-mode=code]: the attendee reads the door code and the page's form is submitted.
// Both take a photo from the album when the camera cannot be used.
(function () {
  "use strict";

  const root = document.querySelector("[data-scanner]");
  if (!root) return;
  const $ = (name) => root.querySelector(`[data-${name}]`);
  const video = $("video");
  const status = $("camera-status");
  const startButton = $("start");
  const stopButton = $("stop");
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  const TOKEN = /^[A-Za-z0-9_-]{1,40}$/;
  const SAME_CODE_PAUSE_MS = 15000; // the code held in front of the camera is sent once, not again and again
  const RETRIES = 3;
  let stream = null;
  let timer = null;
  let busy = false;
  let last = { text: "", at: 0 };
  const pendingNonce = new Map(); // token → nonce of an upload that got no answer yet

  function say(text) {
    status.textContent = text;
  }

  function decode(source, width, height, limit, thorough) {
    const scale = Math.min(1, limit / Math.max(width, height));
    canvas.width = Math.max(1, Math.round(width * scale));
    canvas.height = Math.max(1, Math.round(height * scale));
    context.drawImage(source, 0, 0, canvas.width, canvas.height);
    const image = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(image.data, image.width, image.height, {
      inversionAttempts: thorough ? "attemptBoth" : "dontInvert",
    });
    return found && found.data ? found.data.trim() : "";
  }

  // ---------------------------------------------------------------- camera

  function cameraRefusal(error) {
    const name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") {
      return "未获得摄像头权限：请在浏览器设置中允许本网站使用摄像头，或从相册选择二维码图片。";
    }
    if (name === "NotFoundError" || name === "OverconstrainedError") {
      return "没有找到可用的摄像头，请从相册选择二维码图片。";
    }
    if (name === "NotReadableError") return "摄像头正被其他应用使用，请关闭后重试。";
    return "无法打开摄像头，请从相册选择二维码图片。";
  }

  async function start() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      say("当前浏览器不能打开摄像头（须通过 HTTPS 访问），请从相册选择二维码图片。");
      return;
    }
    startButton.disabled = true;
    say("正在打开摄像头…");
    try {
      stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: { ideal: "environment" } },
        audio: false,
      });
      video.srcObject = stream;
      await video.play();
    } catch (error) {
      stop();
      say(cameraRefusal(error));
      return;
    }
    $("idle").hidden = true;
    startButton.hidden = true;
    stopButton.hidden = false;
    say("请将二维码对准取景框");
    tick();
  }

  function stop() {
    clearTimeout(timer);
    timer = null;
    if (stream) stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    $("idle").hidden = false;
    startButton.hidden = false;
    startButton.disabled = false;
    stopButton.hidden = true;
  }

  function tick() {
    if (!stream) return;
    if (!busy && video.readyState >= 2 && video.videoWidth) {
      const text = decode(video, video.videoWidth, video.videoHeight, 640, false);
      if (text) found(text, false);
    }
    timer = setTimeout(tick, 150);
  }

  // ---------------------------------------------------------------- a photo from the album

  function loadImage(file) {
    return new Promise((resolve, reject) => {
      const url = URL.createObjectURL(file);
      const image = new Image();
      image.onload = () => resolve(image);
      image.onerror = reject;
      image.src = url;
    });
  }

  async function photo(event) {
    const file = event.target.files && event.target.files[0];
    if (!file) return;
    let text = "";
    try {
      const image = await loadImage(file);
      for (const limit of [1280, 800, 480]) {
        text = decode(image, image.naturalWidth, image.naturalHeight, limit, true);
        if (text) break;
      }
      URL.revokeObjectURL(image.src);
    } catch (error) {
      text = "";
    }
    event.target.value = "";
    if (text) found(text, true);
    else show(false, "", "未能识别图片中的二维码，请换一张清晰、完整的图片");
  }

  // ---------------------------------------------------------------- results

  function show(ok, name, message) {
    const box = $("result");
    box.hidden = false;
    box.className = `scan-result ${ok === null ? "scan-busy" : ok ? "scan-ok" : "scan-refused"}`;
    $("result-name").textContent = name;
    $("result-message").textContent = message;
    if (ok !== null && navigator.vibrate) navigator.vibrate(ok ? 120 : [80, 60, 80]);
  }

  function remember(ok, text) {
    const list = document.querySelector("[data-history]");
    if (!list) return;
    const empty = list.querySelector("[data-history-empty]");
    if (empty) empty.remove();
    const item = document.createElement("li");
    item.className = `list-group-item small ${ok ? "" : "text-danger"}`;
    item.textContent = text;
    list.prepend(item);
  }

  function found(text, fromPhoto) {
    const now = Date.now();
    if (!fromPhoto && text === last.text && now - last.at < SAME_CODE_PAUSE_MS) return;
    last = { text, at: now };
    if (root.dataset.mode === "code") submitCode(text);
    else checkIn(text);
  }

  // ---------------------------------------------------------------- the attendee: the door code

  function submitCode(text) {
    const form = document.querySelector("[data-code-form]");
    let code = text;
    try {
      const link = new URL(text, window.location.href);
      if (link.searchParams.get("code")) code = link.searchParams.get("code");
    } catch (error) {
      code = text;
    }
    form.querySelector("[name=code]").value = code;
    stop();
    say("已识别签到码，正在签到…");
    if (form.requestSubmit) form.requestSubmit();
    else form.submit();
  }

  // ---------------------------------------------------------------- the guide: registration QR codes

  function newNonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  function csrfToken() {
    const meta = document.querySelector("meta[name=csrf-token]");
    return meta ? meta.content : "";
  }

  async function post(body) {
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await fetch(root.dataset.endpoint, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify(body),
        });
      } catch (error) {
        if (attempt >= RETRIES) throw error;
        show(null, "", `网络异常，正在重试（第 ${attempt} 次）…`);
        await new Promise((resolve) => setTimeout(resolve, 800 * attempt));
      }
    }
  }

  function clock(iso) {
    const match = /T(\d{2}:\d{2})/.exec(iso || "");
    return match ? match[1] : "";
  }

  async function answerOf(response) {
    let data = null;
    try {
      data = await response.json();
    } catch (error) {
      data = null;
    }
    if (response.ok && data && data.attendance) {
      const name = data.attendance.person.name;
      return { ok: true, name, message: `签到成功 ${clock(data.attendance.checked_in_at)}`, counted: !data.replayed };
    }
    if (data && data.code === "invalid") return { ok: false, name: "", message: "二维码无效，请让对方刷新报名二维码" };
    const message = data && data.message ? data.message : `签到失败（${response.status}），请稍后重试`;
    return { ok: false, name: "", message };
  }

  async function checkIn(text) {
    if (!TOKEN.test(text)) {
      const door = text.includes("code=");
      show(false, "", door ? "这是活动签到码，请扫描参加者手机上的报名二维码" : "这不是本平台的报名二维码");
      return;
    }
    const nonce = pendingNonce.get(text) || newNonce();
    pendingNonce.set(text, nonce);
    busy = true;
    show(null, "", "正在签到…");
    try {
      const response = await post({ token: text, nonce });
      pendingNonce.delete(text);
      const answer = await answerOf(response);
      show(answer.ok, answer.name, answer.message);
      if (stream) say("可继续扫描下一位");
      remember(answer.ok, answer.ok ? `${answer.name} ${answer.message}` : answer.message);
      const present = document.querySelector("[data-present]");
      if (answer.counted && present) present.textContent = String(Number(present.textContent) + 1);
    } catch (error) {
      last = { text: "", at: 0 }; // scanning the same code again sends the same nonce
      show(false, "", "网络异常，签到未完成，请检查网络后重新扫码");
    } finally {
      busy = false;
    }
  }

  startButton.addEventListener("click", start);
  stopButton.addEventListener("click", () => {
    stop();
    say("已暂停扫码");
  });
  $("photo").addEventListener("change", photo);
  window.addEventListener("pagehide", stop);
  if (typeof window.jsQR !== "function") {
    startButton.disabled = true;
    say("扫码组件未能加载，请刷新页面后重试。");
  }
})();
