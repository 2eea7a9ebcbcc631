// Global Privacy Control for a business's own pages. Include it where the visitor is known:
//   <script src="https://privacy.example.com/gpc.js" data-user-id="SITE-USER-ID" async></script>
// (data-email works too). When the browser sends GPC (navigator.globalPrivacyControl), it posts
// the site's own user id to /gpc once per browser session; the browser adds the Sec-GPC: 1 header.
(function () {
  'use strict';
  var script = document.currentScript;
  if (!script || navigator.globalPrivacyControl !== true) return;
  var id = script.dataset.userId;
  var email = script.dataset.email;
  if (!id && !email) return;
  var body = email ? { email: email } : { customKey: id };
  if (script.dataset.keyName) body.keyName = script.dataset.keyName;
  var mark = 'pd-gpc:' + (email || id);
  try { if (sessionStorage.getItem(mark)) return; } catch (e) { /* storage off: post anyway */ }
  var endpoint = new URL('/gpc', script.src).href;
  fetch(endpoint, { method: 'POST', mode: 'cors', credentials: 'omit', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    .then(function (res) {
      if (res.status === 202) { try { sessionStorage.setItem(mark, '1'); } catch (e) { /* ignore */ } }
      document.dispatchEvent(new CustomEvent('privacydesk:gpc', { detail: { status: res.status } }));
    })
    .catch(function () { /* the next page view tries again */ });
})();
