// The article body editor: Quill 2 (static/vendor/quill-2.0.3) mounted on every `textarea.editor`.
//
// - The textarea stays in the form (hidden) and always holds the editor's HTML, so the page posts
//   exactly as before; the server sanitises it with nh3 on save.
// - Pictures (toolbar button, paste, drag and drop, or data: pictures inside pasted HTML) are uploaded
//   to `data-upload-url` and inserted by their /media/ URL.
// - Pictures from other sites (a pasted 公众号 article, Word's file:/// pictures) cannot be shown under
//   the site's CSP: they are outlined, listed in a warning with a button that removes them, and the
//   form is not saved while they are there (the server refuses them as well).
// No inline script, no eval: works under `script-src 'self'`.
(function () {
  "use strict";
  if (!window.Quill) return;
  const Quill = window.Quill;

  const TOOLBAR = [
    [{ header: [2, 3, 4, false] }],
    ["bold", "italic", "underline", "strike"],
    [{ list: "ordered" }, { list: "bullet" }, "blockquote"],
    ["link", "image", "table"],
    ["clean"],
  ];
  const FORMATS = ["header", "bold", "italic", "underline", "strike", "list", "blockquote", "link", "image", "table"];
  const TITLES = {
    header: "段落格式", bold: "加粗", italic: "斜体", underline: "下划线", strike: "删除线",
    "list-ordered": "编号列表", "list-bullet": "项目符号列表", blockquote: "引用", link: "链接",
    image: "插入图片", table: "插入表格", clean: "清除格式",
  };
  const TABLE_TOOLS = [
    ["insertRowBelow", "加一行"], ["insertColumnRight", "加一列"],
    ["deleteRow", "删除行"], ["deleteColumn", "删除列"], ["deleteTable", "删除表格"],
  ];
  const IMAGE_TYPES = ["image/png", "image/jpeg", "image/webp", "image/gif"];
  const DATA_IMAGE = /^data:(image\/(?:png|jpe?g|gif|webp));base64,/i;
  const HTML_TAG = /<[a-zA-Z!/]/;

  function csrfToken() {
    const meta = document.querySelector('meta[name="csrf-token"]');
    const input = document.querySelector('input[name="csrfmiddlewaretoken"]');
    return (meta && meta.content) || (input && input.value) || "";
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function dataUrlToFile(src) {
    const match = DATA_IMAGE.exec(src);
    const bytes = atob(src.slice(match[0].length));
    const buffer = new Uint8Array(bytes.length);
    for (let i = 0; i < bytes.length; i += 1) buffer[i] = bytes.charCodeAt(i);
    const type = match[1].toLowerCase().replace("jpg", "jpeg");
    return new File([buffer], "粘贴的图片." + type.split("/")[1], { type });
  }

  function hostOf(src) {
    try {
      return new URL(src, window.location.href).hostname;
    } catch (error) {
      return "";
    }
  }

  // Quill 2.0.3 writes every space as &nbsp; in getSemanticHTML (slab/quill#4509): one space between
  // words becomes a plain space again, so lines wrap; runs keep their width.
  function semanticHtml(quill) {
    if (quill.getLength() <= 1) return "";
    return quill.getSemanticHTML().replace(/(?:&nbsp;)+/g, (run) => {
      const count = run.length / 6;
      return count === 1 ? " " : "&nbsp;".repeat(count - 1) + " ";
    });
  }

  function mount(textarea) {
    const form = textarea.form;
    const mediaUrl = textarea.dataset.mediaUrl || "/media/";
    const label = document.querySelector('label[for="' + textarea.id + '"]');

    const wrapper = el("div", "editor-wrapper");
    const tableTools = el("div", "editor-table-tools");
    tableTools.hidden = true;
    tableTools.setAttribute("role", "group");
    tableTools.setAttribute("aria-label", "表格");
    const container = el("div", "editor-area");
    const status = el("div", "editor-status small");
    status.setAttribute("role", "status");
    status.setAttribute("aria-live", "polite");
    const warning = el("div", "editor-warning alert alert-danger small");
    warning.hidden = true;
    warning.setAttribute("role", "alert");
    warning.tabIndex = -1;
    wrapper.append(tableTools, container, status, warning);
    textarea.after(wrapper);
    textarea.hidden = true;

    const quill = new Quill(container, {
      theme: "snow",
      formats: FORMATS,
      placeholder: textarea.placeholder || "在此输入正文，可直接粘贴 Word 或公众号文章",
      modules: {
        toolbar: {
          container: TOOLBAR,
          handlers: {
            image: () => chooseFiles(),
            table: () => {
              quill.getModule("table").insertTable(3, 3);
              updateTableTools();
            },
          },
        },
        table: true,
        uploader: { mimetypes: IMAGE_TYPES, handler: (range, files) => uploadFiles(range.index, files) },
      },
    });
    const toolbar = quill.getModule("toolbar").container;
    toolbar.after(tableTools);
    localiseToolbar(toolbar);
    quill.theme.tooltip.textbox.dataset.link = "https://";

    // Screen readers and tests find the editor by its label (正文), as they found the textarea.
    const root = quill.root;
    root.setAttribute("role", "textbox");
    root.setAttribute("aria-multiline", "true");
    if (label) {
      label.id = label.id || textarea.id + "-label";
      label.removeAttribute("for");
      root.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", () => quill.focus());
    }
    if (textarea.getAttribute("aria-describedby")) {
      root.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }

    // Pasted headings keep to the levels an article uses (h1 is the title; nh3 keeps h2–h4).
    quill.clipboard.addMatcher(Node.ELEMENT_NODE, (node, delta) => {
      delta.ops.forEach((op) => {
        const level = op.attributes && op.attributes.header;
        if (level) op.attributes.header = Math.min(Math.max(level, 2), 4);
      });
      return delta;
    });
    // 公众号 pictures are lazy: the real address is in data-src, src holds a placeholder.
    quill.clipboard.addMatcher("IMG", (node, delta) => {
      const lazy = node.getAttribute("data-src");
      const src = node.getAttribute("src") || "";
      if (lazy && (!src || src.startsWith("data:image/svg"))) {
        delta.ops.forEach((op) => {
          if (op.insert && typeof op.insert === "object" && "image" in op.insert) op.insert.image = lazy;
        });
      }
      return delta;
    });

    const initial = textarea.value;
    if (initial) {
      const delta = HTML_TAG.test(initial)
        ? quill.clipboard.convert({ html: initial })
        : quill.clipboard.convert({ text: initial.replace(/\r\n/g, "\n") });
      quill.setContents(delta, "silent");
    }

    let uploading = 0;
    const inflight = new WeakSet(); // data: pictures being uploaded
    const failed = new WeakSet(); // data: pictures the server refused: flagged, not retried

    function setStatus(text, isError) {
      status.textContent = text || "";
      status.classList.toggle("text-danger", Boolean(isError));
    }

    function stationValue() {
      const select = form && form.querySelector('[name="station"]');
      return select ? select.value : "";
    }

    async function upload(file) {
      const body = new FormData();
      body.append("image", file);
      if (textarea.dataset.article) body.append("article", textarea.dataset.article);
      else body.append("station", stationValue());
      uploading += 1;
      setStatus("正在上传图片…");
      try {
        const response = await fetch(textarea.dataset.uploadUrl, {
          method: "POST",
          body,
          credentials: "same-origin",
          headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
        });
        let answer = {};
        try {
          answer = await response.json();
        } catch (error) {
          answer = {};
        }
        if (!response.ok || !answer.url) {
          throw new Error(answer.message || "上传失败，请刷新页面后重试（登录可能已过期）");
        }
        setStatus("图片已插入");
        return answer.url;
      } finally {
        uploading -= 1;
      }
    }

    async function uploadFiles(index, files) {
      let at = index;
      for (const file of Array.from(files)) {
        try {
          const url = await upload(file);
          quill.insertEmbed(at, "image", url, "user");
          at += 1;
          quill.setSelection(at, 0, "silent");
        } catch (error) {
          setStatus("图片“" + file.name + "”未插入：" + error.message, true);
        }
      }
    }

    function chooseFiles() {
      const input = el("input");
      input.type = "file";
      input.accept = IMAGE_TYPES.join(",");
      input.multiple = true;
      input.addEventListener("change", () => {
        const range = quill.getSelection(true) || { index: quill.getLength() };
        if (input.files && input.files.length) uploadFiles(range.index, input.files);
      });
      input.click();
    }

    // data: pictures inside pasted HTML are uploaded and replaced by their /media/ copy.
    async function rehost(img) {
      inflight.add(img);
      try {
        const url = await upload(dataUrlToFile(img.getAttribute("src")));
        const blot = Quill.find(img);
        if (blot && blot !== quill && img.isConnected) {
          const index = quill.getIndex(blot);
          quill.deleteText(index, 1, "user");
          quill.insertEmbed(index, "image", url, "user");
        }
      } catch (error) {
        failed.add(img);
        setStatus("粘贴的图片未能上传：" + error.message, true);
      } finally {
        inflight.delete(img);
        scan();
      }
    }

    function foreignImages() {
      return Array.from(root.querySelectorAll("img")).filter((img) => {
        const src = img.getAttribute("src") || "";
        return !(src.startsWith(mediaUrl) && !src.includes("..")) && !inflight.has(img);
      });
    }

    function scan() {
      root.querySelectorAll("img").forEach((img) => {
        const src = img.getAttribute("src") || "";
        if (DATA_IMAGE.test(src) && !inflight.has(img) && !failed.has(img)) rehost(img);
      });
      const foreign = foreignImages();
      root.querySelectorAll("img[data-external]").forEach((img) => {
        if (!foreign.includes(img)) delete img.dataset.external;
      });
      foreign.forEach((img) => {
        if (!img.dataset.external) img.dataset.external = "1";
      });
      renderWarning(foreign);
    }

    function renderWarning(foreign) {
      warning.replaceChildren();
      warning.hidden = foreign.length === 0;
      if (!foreign.length) return;
      const hosts = Array.from(new Set(foreign.map((img) => hostOf(img.getAttribute("src") || "")).filter(Boolean)));
      const where = hosts.length ? "（来自 " + hosts.slice(0, 3).join("、") + (hosts.length > 3 ? " 等" : "") + "）" : "";
      warning.append(
        el("strong", "", "正文中有 " + foreign.length + " 张外部图片" + where + "，已用红框标出。"),
        el("div", "", "平台不显示其他网站（如微信公众号、Word 文档）的图片，读者会看到空白。请把图片保存到本机，用工具栏的“图片”按钮上传；或删除这些图片后再保存。"),
      );
      const remove = el("button", "btn btn-sm btn-outline-danger mt-2", "删除全部外部图片");
      remove.type = "button";
      remove.addEventListener("click", () => {
        foreignImages().reverse().forEach((img) => {
          const blot = Quill.find(img);
          if (blot && blot !== quill) quill.deleteText(quill.getIndex(blot), 1, "user");
        });
        quill.focus();
      });
      warning.append(remove);
    }

    function updateTableTools() {
      const range = quill.getSelection();
      const cell = range ? quill.getModule("table").getTable(range)[2] : null;
      tableTools.hidden = !cell;
    }

    TABLE_TOOLS.forEach(([method, text]) => {
      const button = el("button", "btn btn-sm btn-outline-secondary", text);
      button.type = "button";
      button.addEventListener("mousedown", (event) => event.preventDefault()); // keep the selection
      button.addEventListener("click", () => {
        quill.getModule("table")[method]();
        updateTableTools();
      });
      tableTools.append(button);
    });

    quill.on("text-change", () => {
      textarea.value = semanticHtml(quill);
      scan();
    });
    quill.on("selection-change", updateTableTools);
    scan();

    if (form) {
      form.addEventListener("submit", (event) => {
        if (uploading > 0) {
          event.preventDefault();
          setStatus("图片正在上传，请稍候再保存", true);
          return;
        }
        if (foreignImages().length) {
          event.preventDefault();
          scan();
          warning.focus();
          warning.scrollIntoView({ block: "center" });
        }
      });
    }
  }

  function localiseToolbar(toolbar) {
    toolbar.setAttribute("aria-label", "格式工具栏");
    toolbar.querySelectorAll("button, .ql-picker-label").forEach((control) => {
      const name = Array.from(control.classList).find((c) => c.startsWith("ql-") && c !== "ql-picker-label");
      let key = name ? name.slice(3) : "header";
      if (control.value) key += "-" + control.value;
      const title = TITLES[key] || TITLES[key.split("-")[0]];
      if (title) {
        control.title = title;
        control.setAttribute("aria-label", title);
      }
    });
  }

  // A newly chosen cover is shown before saving (a blob: URL, allowed by the CSP's img-src).
  function previewOnChoose(input) {
    let preview = null;
    input.addEventListener("change", () => {
      const file = input.files && input.files[0];
      if (preview) URL.revokeObjectURL(preview.src);
      if (!file) {
        if (preview) preview.hidden = true;
        return;
      }
      if (!preview) {
        preview = el("img", "cover-preview mt-2");
        preview.alt = "新封面预览";
        input.after(preview);
      }
      preview.src = URL.createObjectURL(file);
      preview.hidden = false;
    });
  }

  document.querySelectorAll("textarea.editor").forEach(mount);
  document.querySelectorAll("input[type=file][data-preview]").forEach(previewOnChoose);
})();
