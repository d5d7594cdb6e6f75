/* QLVB — small progressive enhancements. Every page works without this file:
 * it folds the menu on phones, asks before destructive actions, shows/hides
 * passwords, copies temporary passwords, adds the "/" search shortcut, prints
 * reports and lets the signer place a signature on the page previews. */
(function () {
  "use strict";
  var root = document.documentElement;
  root.classList.add("js");

  function each(sel, fn) {
    Array.prototype.forEach.call(document.querySelectorAll(sel), fn);
  }

  function isTyping(el) {
    return el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName));
  }

  function navToggle() {
    var nav = document.getElementById("mainnav");
    var btn = nav && nav.querySelector(".nav-toggle");
    if (!btn) return;
    btn.addEventListener("click", function () {
      var open = nav.classList.toggle("nav-open");
      btn.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function confirmForms() {
    document.addEventListener("submit", function (ev) {
      var msg = ev.target.getAttribute && ev.target.getAttribute("data-confirm");
      if (msg && !window.confirm(msg)) ev.preventDefault();
    });
  }

  function passwordToggles() {
    each('input[type="password"]', function (input) {
      var wrap = document.createElement("div");
      wrap.className = "pw-wrap";
      input.parentNode.insertBefore(wrap, input);
      wrap.appendChild(input);
      var btn = document.createElement("button");
      btn.type = "button";
      btn.className = "pw-toggle";
      btn.textContent = "Hiện";
      btn.setAttribute("aria-pressed", "false");
      btn.setAttribute("aria-label", "Hiện mật khẩu");
      btn.addEventListener("click", function () {
        var show = input.type === "password";
        input.type = show ? "text" : "password";
        btn.textContent = show ? "Ẩn" : "Hiện";
        btn.setAttribute("aria-pressed", show ? "true" : "false");
        btn.setAttribute("aria-label", show ? "Ẩn mật khẩu" : "Hiện mật khẩu");
      });
      wrap.appendChild(btn);
    });
    /* Never submit a visible password field: restore the type first. */
    document.addEventListener("submit", function (ev) {
      each(".pw-wrap input", function (input) {
        if (ev.target.contains(input)) input.type = "password";
      });
    }, true);
  }

  function copyButtons() {
    each("[data-copy]", function (btn) {
      var target = document.querySelector(btn.getAttribute("data-copy"));
      if (!target || !navigator.clipboard) {
        btn.hidden = true;
        return;
      }
      btn.addEventListener("click", function () {
        navigator.clipboard.writeText(target.textContent.trim()).then(function () {
          btn.textContent = "Đã sao chép";
        });
      });
    });
  }

  function shortcuts() {
    document.addEventListener("keydown", function (ev) {
      if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
      if (isTyping(document.activeElement)) return;
      var field = document.querySelector('[data-shortcut="/"]');
      if (field) {
        ev.preventDefault();
        field.focus();
        if (field.select) field.select();
      }
    });
  }

  function focusErrors() {
    var summary = document.getElementById("error-summary");
    var first = document.querySelector('[aria-invalid="true"]');
    if (summary) summary.focus();
    else if (first) first.focus();
  }

  function printButtons() {
    each("[data-print]", function (btn) {
      btn.addEventListener("click", function () { window.print(); });
    });
  }

  /* "Ký số tài liệu": a box over the page previews shows where the signature goes.
   * Clicking a page moves it there (and switches to manual placement); arrow keys move
   * it by 5 pt (Shift: 20 pt), PageUp/PageDown change the page. The form's page and
   * x0..y1 fields hold the box as displayed: points from the page's top-left corner
   * (the server turns them into PDF coordinates with the page's own transform). */
  function signPlacement() {
    var form = document.querySelector("[data-sign-place]");
    if (!form) return;
    var f = function (n) { return form.elements[n]; };
    var sheets = Array.prototype.slice.call(document.querySelectorAll(".sheet"));
    if (!sheets.length) return;
    var box = document.createElement("div");
    box.className = "sign-box";
    box.tabIndex = 0;
    box.setAttribute("role", "img");
    box.setAttribute("aria-label", "Vị trí chữ ký. Dùng phím mũi tên để dịch chuyển, Page Up/Page Down để đổi trang.");
    var tag = document.createElement("span");
    tag.textContent = "Chữ ký";
    box.appendChild(tag);
    var rect = ["x0", "y0", "x1", "y1"].map(function (n) { return parseFloat(f(n).value) || 0; });
    function sheetOf(page) { return sheets[Math.min(Math.max(page, 1), sheets.length) - 1]; }
    function draw() {
      var page = parseInt(f("page").value, 10) || 1;
      var sh = sheetOf(page);
      var w = parseFloat(sh.getAttribute("data-width")), h = parseFloat(sh.getAttribute("data-height"));
      /* in the page's own frame, not the figure with its caption: percentages of the
       * figure's height put the box lower than the page shows (most on a phone) */
      var holder = sh.querySelector(".sheet-page") || sh;
      if (box.parentNode !== holder) holder.appendChild(box);
      box.style.left = (rect[0] / w * 100) + "%";
      box.style.width = ((rect[2] - rect[0]) / w * 100) + "%";
      box.style.top = (rect[1] / h * 100) + "%";
      box.style.height = ((rect[3] - rect[1]) / h * 100) + "%";
      ["x0", "y0", "x1", "y1"].forEach(function (n, i) { f(n).value = rect[i].toFixed(1); });
    }
    function manual() {
      var radio = form.querySelector('input[name="placement"][value="manual"]');
      if (radio) radio.checked = true;
    }
    function moveTo(page, cx, cy) {
      var sh = sheetOf(page);
      var w = parseFloat(sh.getAttribute("data-width")), h = parseFloat(sh.getAttribute("data-height"));
      var bw = rect[2] - rect[0], bh = rect[3] - rect[1];
      var x0 = Math.min(Math.max(cx - bw / 2, 0), w - bw), y0 = Math.min(Math.max(cy - bh / 2, 0), h - bh);
      rect = [x0, y0, x0 + bw, y0 + bh];
      f("page").value = String(page);
      draw();
    }
    sheets.forEach(function (sh) {
      var img = sh.querySelector("img");
      img.addEventListener("click", function (ev) {
        var r = img.getBoundingClientRect();
        var w = parseFloat(sh.getAttribute("data-width")), h = parseFloat(sh.getAttribute("data-height"));
        var page = parseInt(sh.getAttribute("data-page"), 10);
        moveTo(page, (ev.clientX - r.left) / r.width * w, (ev.clientY - r.top) / r.height * h);
        manual();
        box.focus();
      });
    });
    box.addEventListener("keydown", function (ev) {
      var step = ev.shiftKey ? 20 : 5, dx = 0, dy = 0;
      var page = parseInt(f("page").value, 10) || 1;
      if (ev.key === "ArrowLeft") dx = -step;
      else if (ev.key === "ArrowRight") dx = step;
      else if (ev.key === "ArrowUp") dy = -step;
      else if (ev.key === "ArrowDown") dy = step;
      else if (ev.key === "PageUp" && page > 1) page--;
      else if (ev.key === "PageDown" && page < sheets.length) page++;
      else return;
      ev.preventDefault();
      moveTo(page, (rect[0] + rect[2]) / 2 + dx, (rect[1] + rect[3]) / 2 + dy);
      manual();
      box.focus();
      box.scrollIntoView({ block: "nearest" });
    });
    f("page").addEventListener("change", function () { manual(); draw(); });
    var keySel = f("key_id");
    if (keySel && keySel.options.length > 1) {
      /* person and agency keys are placed differently: ask the server again */
      keySel.addEventListener("change", function () {
        window.location.search = "?key_id=" + encodeURIComponent(keySel.value);
      });
    }
    draw();
    var start = document.getElementById("suggested-page");
    if (start && start.scrollIntoView && start !== sheets[0]) start.scrollIntoView();
  }

  /* Lists of selects with the empty rows folded (the circuit template's steps, the
   * reviewers of a draft): choosing in the last open row unfolds the next row only, so
   * the keyboard goes on to the next select without opening "Thêm …" by hand; opening
   * "Thêm …" by hand shows every row, as without this script. */
  function unfoldMore() {
    var FOLD = "details.more-steps, details.more-reviewers";
    function row(s) { return s.closest("li, .field") || s; }
    document.addEventListener("change", function (ev) {
      var sel = ev.target;
      if (!sel || sel.tagName !== "SELECT" || !sel.value || !sel.form) return;
      var more = sel.form.querySelector(FOLD);
      if (!more) return;
      var all = Array.prototype.filter.call(sel.form.querySelectorAll("select"), function (s) {
        return s.name === sel.name;
      });
      var next = all[all.indexOf(sel) + 1];
      if (!next || !more.contains(next)) return;
      if (!more.open) {
        all.forEach(function (s) {
          if (more.contains(s) && s !== next && !s.value) row(s).hidden = true;
        });
        more.setAttribute("data-auto", "1");
        more.open = true;
      }
      row(next).hidden = false;
    });
    each(FOLD, function (more) {
      more.addEventListener("toggle", function () {
        if (more.getAttribute("data-auto")) {
          more.removeAttribute("data-auto");
          return;
        }
        if (more.open) each("[hidden]", function (el) { if (more.contains(el)) el.hidden = false; });
      });
    });
  }

  /* A "check all" box (data-check-all="name", shown with the script only) checks or
   * clears the form's checkboxes of that name. */
  function checkAll() {
    document.addEventListener("change", function (ev) {
      var box = ev.target, name = box && box.getAttribute && box.getAttribute("data-check-all");
      if (!name || !box.form) return;
      Array.prototype.forEach.call(box.form.querySelectorAll('input[type=checkbox][name="' + name + '"]'), function (c) {
        c.checked = box.checked;
      });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    navToggle();
    confirmForms();
    passwordToggles();
    copyButtons();
    shortcuts();
    printButtons();
    signPlacement();
    focusErrors();
    unfoldMore();
    checkAll();
  });
})();
