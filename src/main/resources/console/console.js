// The admin console: plain DOM, no framework, no inline code (the page's CSP forbids it).
// Everything the API returns is rendered with textContent, never parsed as HTML.
'use strict';

(() => {
  const TOKEN = 'learncoin.adminToken'; // sessionStorage only: gone when the tab closes
  const PAGE_SIZE = 10;
  const $ = (id) => document.getElementById(id);
  let tenant = null; // {id, name} whose keys are shown

  class ApiFailure extends Error {
    constructor(code, message, requestId) {
      super(message);
      this.code = code;
      this.requestId = requestId;
    }
  }

  /** One admin API call; a non-2xx answer becomes an ApiFailure carrying its error envelope. */
  async function api(method, path, body) {
    const token = sessionStorage.getItem(TOKEN);
    if (!token) {
      throw new ApiFailure('no_token', 'Paste an admin token first.', null);
    }
    const init = { method, headers: { Authorization: 'Bearer ' + token }, cache: 'no-store',
      credentials: 'omit', referrerPolicy: 'no-referrer' };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const response = await fetch(path, init);
    const text = await response.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch (e) {
      json = null;
    }
    if (!response.ok) {
      const error = (json && json.error) || {};
      if (error.code === 'admin_token_invalid') {
        // A refused token is no token: the header must not claim one is set.
        sessionStorage.removeItem(TOKEN);
        tokenState();
      }
      throw new ApiFailure(error.code || 'http_' + response.status,
        error.message || response.statusText, error.request_id || response.headers.get('X-Request-Id'));
    }
    return json;
  }

  function showError(error) {
    $('new-key').hidden = true; // a key shown once must not linger next to an unrelated error
    $('error-code').textContent = error.code || 'error';
    $('error-message').textContent = error.message;
    $('error-request').textContent = error.requestId ? '(request ' + error.requestId + ')' : '';
    $('error').hidden = false;
  }

  /**
   * Runs an action; its failure is shown in the error banner instead of thrown. The form's input,
   * if given, keeps a rejected value (marked invalid and focused, to be corrected) and is cleared
   * once the action succeeds.
   */
  function act(action, input) {
    return async (event) => {
      if (event) {
        event.preventDefault();
      }
      $('error').hidden = true;
      try {
        await action(event);
        if (input) {
          input.value = '';
          input.removeAttribute('aria-invalid');
        }
      } catch (error) {
        showError(error);
        if (input) {
          input.setAttribute('aria-invalid', 'true');
          input.focus();
        }
      }
    };
  }

  function cell(row, text, className) {
    const td = row.insertCell();
    td.textContent = text === null || text === undefined ? '—' : String(text);
    if (className) {
      td.className = className;
    }
    return td;
  }

  function button(td, label, onClick, disabled) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = label;
    b.disabled = Boolean(disabled);
    b.addEventListener('click', act(onClick));
    td.appendChild(b);
    return b;
  }

  const when = (timestamp) => (timestamp ? timestamp.replace('T', ' ').replace(/\.\d+/, '') : null);
  const entries = (text) => text.split(/[\s,]+/).filter((entry) => entry.length > 0);
  const path = (...parts) => parts.map((p) => encodeURIComponent(p)).join('/');

  /** Cursor pagination: a stack of starting_after values, one per page visited. */
  function pager(prevId, nextId, load) {
    const cursors = [null];
    let hasMore = false;
    const show = async () => {
      hasMore = (await load(cursors[cursors.length - 1])).has_more;
      $(prevId).disabled = cursors.length === 1;
      $(nextId).disabled = !hasMore;
    };
    let lastId = null;
    $(prevId).addEventListener('click', act(() => { cursors.pop(); return show(); }));
    $(nextId).addEventListener('click', act(() => { cursors.push(lastId); return show(); }));
    return {
      first: () => { cursors.length = 1; return show(); },
      reload: show,
      saw: (page) => { lastId = page.data.length ? page.data[page.data.length - 1].id : lastId; },
    };
  }

  const tenants = pager('tenants-prev', 'tenants-next', async (after) => {
    const page = await api('GET', '/admin/v1/tenants?limit=' + PAGE_SIZE
      + (after ? '&starting_after=' + encodeURIComponent(after) : ''));
    const rows = $('tenant-rows');
    rows.replaceChildren();
    for (const t of page.data) {
      const row = rows.insertRow();
      row.dataset.id = t.id;
      cell(row, t.id, 'id');
      cell(row, t.name);
      cell(row, t.plan);
      cell(row, when(t.created_at));
      button(cell(row, ''), 'Keys', () => selectTenant(t));
    }
    tenants.saw(page);
    return page;
  });

  const keys = pager('keys-prev', 'keys-next', async (after) => {
    const page = await api('GET', '/admin/v1/tenants/' + path(tenant.id) + '/keys?limit='
      + PAGE_SIZE + (after ? '&starting_after=' + encodeURIComponent(after) : ''));
    const rows = $('key-rows');
    rows.replaceChildren();
    for (const k of page.data) {
      const row = rows.insertRow();
      row.dataset.id = k.id;
      row.classList.toggle('revoked', k.revoked_at !== null);
      cell(row, k.id, 'id');
      cell(row, 'lrn_' + k.environment + '_…' + k.last4, 'id');
      cell(row, k.environment);
      cell(row, k.ip_allowlist.length ? k.ip_allowlist.join(', ') : 'any address', 'allowlist');
      cell(row, when(k.created_at));
      cell(row, when(k.revoked_at), 'revoked-at');
      const actions = cell(row, '');
      button(actions, 'Edit allowlist', () => editAllowlist(k), k.revoked_at);
      button(actions, 'Revoke', () => revoke(k), k.revoked_at).classList.add('danger');
    }
    keys.saw(page);
    return page;
  });

  function selectTenant(t) {
    tenant = t;
    $('keys-tenant-name').textContent = t.name;
    $('keys-tenant-id').textContent = t.id;
    $('keys').hidden = false;
    $('new-key').hidden = true;
    $('allowlist-form').hidden = true;
    return Promise.all([keys.first(), showUsage()]);
  }

  /** The selected tenant's plan and this month's usage (GET /admin/v1/tenants/{id}). */
  async function showUsage() {
    const t = await api('GET', '/admin/v1/tenants/' + path(tenant.id));
    const u = t.usage;
    $('plan-select').value = t.plan;
    $('tenant-usage').textContent = 'Plan ' + t.plan + ' (' + t.limits.requests_per_minute
      + ' requests/min, ' + t.limits.credentials_per_month + ' credentials/month). Usage in '
      + u.month + ': ' + u.credentials_issued.test + ' test and ' + u.credentials_issued.live
      + ' live credentials issued; ' + u.credentials_remaining.test + ' test and '
      + u.credentials_remaining.live + ' live remaining.';
  }

  function editAllowlist(k) {
    $('allowlist-form').dataset.key = k.id;
    $('allowlist-key').textContent = k.id;
    $('allowlist-entries').value = k.ip_allowlist.join(', ');
    $('allowlist-form').hidden = false;
    $('allowlist-entries').focus();
  }

  async function revoke(k) {
    if (!window.confirm('Revoke ' + k.id + '? Every request with it is refused from now on.')) {
      return;
    }
    await api('POST', '/admin/v1/keys/' + path(k.id) + '/revoke');
    $('new-key').hidden = true;
    await keys.reload();
  }

  function tokenState() {
    const set = sessionStorage.getItem(TOKEN) !== null;
    $('token-state').textContent = set ? 'Token set for this tab.'
      : 'No token: kept in this tab\'s session storage only.';
    document.body.classList.toggle('signed-in', set);
  }

  $('token-form').addEventListener('submit', act(() => {
    const token = $('token').value.trim();
    $('token').value = '';
    if (token) {
      sessionStorage.setItem(TOKEN, token);
    }
    tokenState();
    return tenants.first();
  }));

  $('forget-token').addEventListener('click', act(() => {
    sessionStorage.removeItem(TOKEN);
    tokenState();
    $('tenant-rows').replaceChildren();
    $('keys').hidden = true;
    $('audit-record').replaceChildren();
  }));

  $('tenant-form').addEventListener('submit', act(async () => {
    const created = await api('POST', '/admin/v1/tenants',
      { name: $('tenant-name').value, plan: $('tenant-plan').value });
    await tenants.reload();
    await selectTenant(created);
  }, $('tenant-name')));

  $('plan-form').addEventListener('submit', act(async () => {
    await api('PATCH', '/admin/v1/tenants/' + path(tenant.id), { plan: $('plan-select').value });
    await Promise.all([tenants.reload(), showUsage()]);
  }));

  $('key-form').addEventListener('submit', act(async () => {
    const created = await api('POST', '/admin/v1/tenants/' + path(tenant.id) + '/keys',
      { environment: $('key-environment').value, ip_allowlist: entries($('key-allowlist').value) });
    $('new-key-value').textContent = created.key;
    await keys.reload();
    $('new-key').hidden = false;
  }, $('key-allowlist')));

  $('allowlist-form').addEventListener('submit', act(async () => {
    const id = $('allowlist-form').dataset.key;
    await api('PUT', '/admin/v1/keys/' + path(id) + '/ip-allowlist',
      { ip_allowlist: entries($('allowlist-entries').value) });
    $('allowlist-form').hidden = true;
    await keys.reload();
  }, $('allowlist-entries')));

  $('allowlist-cancel').addEventListener('click', () => { $('allowlist-form').hidden = true; });

  $('audit-form').addEventListener('submit', act(async () => {
    const list = $('audit-record');
    list.replaceChildren();
    const record = await api('GET', '/admin/v1/audit/' + path($('audit-request-id').value.trim()));
    for (const [name, value] of Object.entries(record)) {
      const dt = document.createElement('dt');
      dt.textContent = name;
      const dd = document.createElement('dd');
      dd.textContent = value === null ? '—' : typeof value === 'object' ? JSON.stringify(value) : String(value);
      dd.dataset.field = name;
      list.append(dt, dd);
    }
  }));

  tokenState();
  if (sessionStorage.getItem(TOKEN) !== null) {
    act(() => tenants.first())();
  }
})();
