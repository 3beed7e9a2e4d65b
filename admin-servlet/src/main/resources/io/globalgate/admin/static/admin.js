// Globalgate admin: the only script of the pages (CSP forbids inline scripts).
'use strict';

document.addEventListener('DOMContentLoaded', function () {
  // Copy button on the page that shows a new token once.
  var copy = document.getElementById('copy-token');
  if (copy) {
    copy.addEventListener('click', function () {
      var field = document.getElementById(copy.getAttribute('data-copy-target'));
      var status = document.getElementById('copy-status');
      var done = function () { status.textContent = 'Copied to the clipboard.'; };
      var fallback = function () {
        field.select();
        try {
          document.execCommand('copy');
          done();
        } catch (e) {
          status.textContent = 'Select the token and copy it by hand.';
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  }

  // Forms that change access ask first.
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      if (!window.confirm(form.getAttribute('data-confirm'))) {
        event.preventDefault();
      }
    });
  });

  // The Access Tokens grid: select all, count, and a confirmation that says how many.
  var mass = document.getElementById('mass-revoke');
  if (mass) {
    var boxes = function () { return mass.querySelectorAll('input[name="ids"]:not(:disabled)'); };
    var checked = function () { return mass.querySelectorAll('input[name="ids"]:checked').length; };
    var counter = mass.querySelector('.selected-count');
    var update = function () {
      var n = checked();
      counter.textContent = n === 0 ? '' : n + ' selected';
    };
    var all = document.getElementById('select-all');
    if (all) {
      all.addEventListener('change', function () {
        boxes().forEach(function (box) { box.checked = all.checked; });
        update();
      });
    }
    mass.addEventListener('change', update);
    mass.addEventListener('submit', function (event) {
      var n = checked();
      if (n === 0) {
        event.preventDefault();
        window.alert('Select the tokens to revoke first.');
        return;
      }
      var message = mass.getAttribute('data-confirm-count').replace('{n}', String(n));
      if (!window.confirm(message)) {
        event.preventDefault();
      }
    });
  }

  // The custom date field matters only for "Custom date".
  var expiration = document.getElementById('expiration');
  var custom = document.getElementById('custom-date');
  if (expiration && custom) {
    var toggle = function () { custom.hidden = expiration.value !== 'custom'; };
    expiration.addEventListener('change', toggle);
    toggle();
  }
});
