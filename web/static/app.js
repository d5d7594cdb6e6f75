/* QLVB — small progressive enhancements. Every page works without this file:
 * it folds the menu on phones, asks before destructive actions, shows/hides
 * passwords, copies temporary passwords and adds the "/" search shortcut. */
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

  document.addEventListener("DOMContentLoaded", function () {
    navToggle();
    confirmForms();
    passwordToggles();
    copyButtons();
    shortcuts();
    focusErrors();
  });
})();
