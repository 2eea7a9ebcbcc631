// Progressive enhancement of the privacy center (the pages work without it): solves the
// proof-of-work before a request form is sent, marks the button busy, shows the GPC banner when the
// browser sends Global Privacy Control, and moves focus to an error summary.
(function () {
  'use strict';
  function zeroBits(bytes) {
    var n = 0;
    for (var i = 0; i < bytes.length; i += 1) {
      if (bytes[i] === 0) { n += 8; continue; }
      return n + Math.clz32(bytes[i]) - 24;
    }
    return n;
  }
  async function solve(challenge, bits) {
    var enc = new TextEncoder();
    for (var i = 0; ; i += 1) {
      var d = new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(challenge + ':' + i)));
      if (zeroBits(d) >= bits) return String(i);
    }
  }
  function start() {
    var banner = document.getElementById('gpc-banner');
    if (banner && navigator.globalPrivacyControl === true) {
      banner.hidden = false;
      var flag = document.getElementById('gpc-flag');
      if (flag) flag.value = '1';
    }
    var summary = document.querySelector('.error-summary');
    if (summary) summary.focus();
    var form = document.getElementById('request-form');
    if (!form || !window.crypto || !crypto.subtle) return;
    var solving = false;
    form.addEventListener('submit', function (ev) {
      var nonce = form.querySelector('input[name=pow_nonce]');
      if (nonce.value || solving) { if (solving) ev.preventDefault(); return; }
      ev.preventDefault();
      solving = true;
      var button = form.querySelector('button[type=submit]');
      button.setAttribute('aria-busy', 'true');
      button.dataset.label = button.textContent;
      button.textContent = button.dataset.working || button.textContent;
      var challenge = form.querySelector('input[name=pow_challenge]').value;
      solve(challenge, Number(form.dataset.powBits || '0')).then(function (n) {
        nonce.value = n;
        solving = false;
        form.submit();
      });
    });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start); else start();
})();
