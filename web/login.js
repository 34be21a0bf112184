// login.js: shows why a previous attempt to join failed (the server redirects
// back here with ?e=...). No token ever travels in an address.
"use strict";
(function () {
  const reasons = {
    auth: "That access code is not valid for this session.",
    missing: "Enter the access code first.",
  };
  const e = new URLSearchParams(window.location.search).get("e");
  const box = document.getElementById("login-error");
  if (e && box) {
    box.textContent = reasons[e] || "Could not join.";
    box.hidden = false;
  }
})();
