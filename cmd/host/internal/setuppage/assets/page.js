// host's setup page: live states over server-sent events, Replace for
// saved secrets, the list editor, and going on to the provider after
// Connect. The page works without it, minus the live updates.
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  // The page's base path: everything is served below it.
  var self = document.currentScript && document.currentScript.src;
  var events = self ? self.replace(/assets\/page\.js(\?.*)?$/, 'events') : 'events';

  function text(el, value) {
    if (!el) return;
    el.textContent = value || '';
    el.hidden = !value;
  }

  function apply(plugins) {
    var body = document.body;
    plugins.forEach(function (p) {
      document.querySelectorAll('[data-plugin="' + CSS.escape(p.id) + '"]').forEach(function (card) {
        if (card === body) return;
        var badge = card.querySelector('[data-field="state"]');
        if (badge) {
          badge.textContent = p.state;
          badge.className = 'badge ' + p.class;
        }
        text(card.querySelector('[data-field="reason"]'), p.reason);
        var st = card.querySelector('[data-field="status"]');
        if (st) {
          st.textContent = '';
          if (p.status) {
            var b = document.createElement('span');
            b.className = 'status-state';
            b.textContent = p.status.state;
            st.appendChild(b);
            if (p.status.message) st.appendChild(document.createTextNode(' · ' + p.status.message));
          }
          st.hidden = !p.status;
        }
      });
      if (body.dataset.plugin === p.id) {
        var logs = document.querySelector('[data-field="logs"]');
        if (logs) logs.textContent = (p.logs && p.logs.length) ? p.logs.join('\n') + '\n' : '(nothing yet)';
        // A step that ran without this page (the login, an activation
        // another tab started) ended: show where the setup is now. A page
        // with a form being filled in is never reloaded.
        var was = body.dataset.flow || '';
        var now = p.flow || '';
        if ((was === 'login' || was === 'wait') && now !== 'login' && now !== 'wait') {
          location.replace(location.pathname);
        }
      }
    });
  }

  var go = document.querySelector('[data-autogo]');
  if (go) {
    // On to the provider; no live update may take this tab elsewhere.
    location.assign(go.href);
    return;
  }

  if (window.EventSource) {
    var es = new EventSource(events);
    es.onmessage = function (e) {
      try { apply(JSON.parse(e.data)); } catch (err) { /* a partial message: the next one repairs it */ }
    };
  }

  document.addEventListener('click', function (e) {
    var t = e.target.closest('button');
    if (!t) return;
    if (t.dataset.replace) {
      var input = document.getElementById(t.dataset.replace);
      input.classList.add('open');
      input.placeholder = 'New value';
      input.focus();
      t.setAttribute('aria-expanded', 'true');
    } else if (t.hasAttribute('data-add-item')) {
      var list = t.closest('[data-list]');
      var items = list.querySelectorAll('.item');
      var row = items[items.length - 1].cloneNode(true);
      row.querySelector('input').value = '';
      list.insertBefore(row, t);
      row.querySelector('input').focus();
    } else if (t.hasAttribute('data-remove-item')) {
      var l = t.closest('[data-list]');
      var item = t.closest('.item');
      if (l.querySelectorAll('.item').length > 1) item.remove();
      else item.querySelector('input').value = '';
    }
  });

})();
