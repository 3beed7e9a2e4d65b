// Globalgate admin: the only script of the pages (CSP forbids inline scripts).
'use strict';

document.addEventListener('DOMContentLoaded', function () {
  // Copy button on the page that shows a new token once. It says "Copied" only when the browser
  // said the copy succeeded; otherwise it selects the token for a copy by hand.
  var copy = document.getElementById('copy-token');
  if (copy) {
    copy.addEventListener('click', function () {
      var field = document.getElementById(copy.getAttribute('data-copy-target'));
      var status = document.getElementById('copy-status');
      var done = function () {
        status.className = 'copy-ok';
        status.textContent = 'Copied to the clipboard.';
      };
      var byHand = function () {
        field.focus();
        field.select();
        status.className = 'copy-failed';
        status.textContent = 'The browser did not copy the token: it is selected, copy it with Ctrl+C (⌘C on a Mac).';
      };
      var fallback = function () {
        var copied = false;
        field.select();
        try {
          copied = document.execCommand('copy') === true;
        } catch (e) {
          copied = false;
        }
        if (copied) {
          done();
        } else {
          byHand();
        }
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(done, fallback);
      } else {
        fallback();
      }
    });
  }

  // A form shown again with errors: focus goes to the summary of the errors, whose links lead to the fields.
  var summary = document.getElementById('error-summary');
  if (summary) {
    summary.focus();
    summary.querySelectorAll('a[href^="#"]').forEach(function (link) {
      link.addEventListener('click', function (event) {
        var target = document.getElementById(link.getAttribute('href').substring(1));
        var field = target && (target.matches('input, select, textarea') ? target : target.querySelector('input, select, textarea'));
        if (field) {
          event.preventDefault();
          field.focus();
        }
      });
    });
  }

  // Forms that change access ask first; an integration form asks only when Active goes to No.
  document.querySelectorAll('form[data-confirm-deactivate]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var no = form.querySelector('input[name="active"][value="false"]');
      if (no && no.checked && !window.confirm(form.getAttribute('data-confirm-deactivate'))) {
        event.preventDefault();
      }
    });
  });

  // Forms that change access ask first.
  // {grace} in a question is what the chosen grace period means for the old token.
  document.querySelectorAll('form[data-confirm]').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      var grace = form.querySelector('select[name="grace"]');
      var chosen = grace ? grace.options[grace.selectedIndex] : form.querySelector('input[name="grace"]');
      var consequence = chosen ? chosen.getAttribute('data-consequence') || '' : '';
      if (!window.confirm(form.getAttribute('data-confirm').replace('{grace}', consequence).trim())) {
        event.preventDefault();
      }
    });
  });

  // The Access Tokens grid: select all (on this page, then on every page), count, a confirmation
  // that says how many, and each row's own Revoke, which asks about that token only.
  var mass = document.getElementById('mass-revoke');
  if (mass) {
    var boxes = function () { return mass.querySelectorAll('input[name="ids"]:not(:disabled)'); };
    var checked = function () { return mass.querySelectorAll('input[name="ids"]:checked').length; };
    var counter = mass.querySelector('.selected-count');
    var all = document.getElementById('select-all');
    // Every page: the ids the server listed with the page, sent only once the operator chose them.
    var every = document.getElementById('every-revocable');
    var across = document.getElementById('select-across');
    var offer = document.getElementById('across-offer');
    var chosen = document.getElementById('across-chosen');
    var everyChosen = function () { return every !== null && !every.disabled; };
    var count = function () { return everyChosen() ? Number(every.getAttribute('data-count')) : checked(); };
    var update = function () {
      var n = count();
      counter.textContent = n === 0 ? '' : n + ' selected' + (everyChosen() ? ' on every page' : '');
      var list = boxes();
      var wholePage = list.length > 0 && checked() === list.length;
      if (all) {
        all.checked = wholePage;
      }
      if (across) {
        across.hidden = !wholePage;
        if (offer && chosen) {
          offer.hidden = everyChosen();
          chosen.hidden = !everyChosen();
        }
      }
    };
    var choose = function (on) {
      if (every) {
        every.disabled = !on;
      }
    };
    if (all) {
      all.addEventListener('change', function () {
        boxes().forEach(function (box) { box.checked = all.checked; });
        choose(false);
        update();
      });
    }
    mass.addEventListener('change', function (event) {
      if (event.target !== all && event.target.name === 'ids' && !event.target.checked) {
        choose(false);
      }
      update();
    });
    var selectEvery = document.getElementById('select-every');
    if (selectEvery) {
      selectEvery.addEventListener('click', function () {
        choose(true);
        update();
        document.getElementById('clear-every').focus();
      });
      document.getElementById('clear-every').addEventListener('click', function () {
        choose(false);
        boxes().forEach(function (box) { box.checked = false; });
        update();
        if (all) {
          all.focus();
        }
      });
    }
    mass.addEventListener('submit', function (event) {
      var submitter = event.submitter;
      if (submitter && submitter.name === 'revoke') {
        if (!window.confirm(submitter.getAttribute('data-confirm-one'))) {
          event.preventDefault();
        }
        return;
      }
      var n = count();
      if (n === 0) {
        event.preventDefault();
        window.alert('Select the tokens to revoke first.');
        return;
      }
      var what = (n === 1 ? '1 token' : n + ' tokens') + (everyChosen() ? ' (every page of this list)' : '');
      if (!window.confirm(mass.getAttribute('data-confirm-count').replace('{count}', what))) {
        event.preventDefault();
      }
    });
    update();
  }

  // The custom date field matters only for "Custom date".
  var expiration = document.getElementById('expiration');
  var custom = document.getElementById('custom-date');
  if (expiration && custom) {
    var never = document.getElementById('never-warning');
    var toggle = function () {
      custom.hidden = expiration.value !== 'custom';
      if (never) {
        never.hidden = expiration.value !== 'never';
      }
    };
    expiration.addEventListener('change', toggle);
    toggle();
  }
});

// The page that shows a new token once never keeps it for Back or Forward: its value is removed
// when the page is left (before the back-forward cache stores it), and again should a stored page
// ever come back. A reload asks the server, which has forgotten the value.
(function () {
  var forget = function () {
    var field = document.getElementById('token-value');
    if (!field) {
      return;
    }
    field.value = '';
    field.removeAttribute('value');
    var secret = field.closest('.secret');
    var gone = document.createElement('p');
    gone.className = 'warning';
    gone.id = 'already-shown';
    gone.textContent = 'The value of this token was shown once and is no longer available. If it was lost, regenerate the token.';
    (secret || field).replaceWith(gone);
    var once = document.getElementById('once-warning');
    if (once) {
      once.remove();
    }
  };
  window.addEventListener('pagehide', forget);
  // Any other page restored by Back or Forward shows what was true when it was left (a token
  // still Active after its regeneration, a revoked one with its Revoke button): the pages are
  // no-store, so ask the server again, as Chromium would without its back-forward cache.
  window.addEventListener('pageshow', function (event) {
    if (!event.persisted) {
      return;
    }
    if (document.getElementById('token-value') || document.getElementById('already-shown')) {
      forget();
    } else {
      window.location.reload();
    }
  });
}());
