// Forum forms: keep the picture count within the limit before uploading, and stop a double submit.
(function () {
  "use strict";
  var MAX_IMAGES = 4;
  document.querySelectorAll("form[data-forum-form]").forEach(function (form) {
    var input = form.querySelector("input[type=file]");
    if (input) {
      input.addEventListener("change", function () {
        if (input.files && input.files.length > MAX_IMAGES) {
          input.setCustomValidity("每条最多上传 " + MAX_IMAGES + " 张图片");
          input.reportValidity();
        } else {
          input.setCustomValidity("");
        }
      });
    }
    form.addEventListener("submit", function () {
      var button = form.querySelector("button[type=submit]");
      if (button) {
        window.setTimeout(function () { button.disabled = true; }, 0);
      }
    });
  });
})();
