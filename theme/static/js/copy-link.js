/* Byline: a "Copy link" button beside the article's address. The page works without it:
   the address stands in a read-only field that can be selected and copied by hand. */
(function () {
  "use strict";
  var box = document.querySelector(".copy-link");
  if (!box || !navigator.clipboard || !window.isSecureContext) return;
  var field = box.querySelector("input");
  var status = box.querySelector("[role=status]");
  // A local build writes a relative address; show and copy the full one.
  field.value = new URL(field.value, document.baseURI).href;
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-link-button";
  button.textContent = "Copy link";
  button.addEventListener("click", function () {
    navigator.clipboard.writeText(field.value).then(
      function () {
        status.textContent = "Link copied";
        setTimeout(function () { status.textContent = ""; }, 4000);
      },
      function () {
        field.select();
        status.textContent = "Press Ctrl+C (or ⌘C) to copy the selected link";
      }
    );
  });
  field.after(button);
  field.addEventListener("focus", function () { field.select(); });
})();
