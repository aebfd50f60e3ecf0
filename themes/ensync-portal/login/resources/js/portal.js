// Copy buttons of the portal. A file of the theme (CSP script-src 'self'): no inline script anywhere.
(function () {
  'use strict';
  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'absolute';
    area.style.left = '-9999px';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error('copy refused'));
  }
  function copy(text) {
    // The Clipboard API needs a secure context (and clipboard-write in a cross-origin iframe); else the old way.
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).catch(function () { return fallbackCopy(text); });
    }
    return fallbackCopy(text);
  }
  document.addEventListener('click', function (event) {
    var button = event.target.closest('button[data-copy]');
    if (!button) { return; }
    var source = document.getElementById(button.getAttribute('data-copy'));
    if (!source) { return; }
    copy(source.textContent.trim()).then(function () {
      button.textContent = button.getAttribute('data-copied');
      button.setAttribute('data-state', 'copied');
    }, function () {
      button.setAttribute('data-state', 'failed');
    });
  });
}());
