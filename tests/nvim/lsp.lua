-- lsp.lua: planner lsp driven by Neovim's own client, as a person uses it.
-- tests/run-nvim starts Neovim on $ROOT/teams/storage.dsl, a copy of
-- examples/weekly-train, with tests/nvim/init.lua as the configuration;
-- this file types into the buffers and checks what the editor shows.
-- Every wait is bounded; any failure ends Neovim with status 1.

local root = assert(vim.env.ROOT, 'ROOT is not set')
local planner = assert(vim.env.PLANNER, 'PLANNER is not set')
local team_path = root .. '/teams/storage.dsl'
local rollout_path = root .. '/rollout.dsl'
local checks = 0

local function say(fmt, ...)
  io.stdout:write(string.format(fmt, ...) .. '\n')
end

local function fail(fmt, ...)
  error({ failure = string.format(fmt, ...) })
end

local function check(ok, fmt, ...)
  checks = checks + 1
  if not ok then
    fail(fmt, ...)
  end
end

local function ms_since(t0)
  return (vim.loop.hrtime() - t0) / 1e6
end

-- Types keys as a person would (insert mode and all), to the end.
local function type_keys(keys)
  vim.api.nvim_feedkeys(vim.api.nvim_replace_termcodes(keys, true, false, true), 'xt', false)
end

-- The 0-based line and byte column of the first plain occurrence of
-- needle in the buffer at or after line from (0-based).
local function find(buf, needle, from)
  for i, line in ipairs(vim.api.nvim_buf_get_lines(buf, from or 0, -1, true)) do
    local col = line:find(needle, 1, true)
    if col then
      return (from or 0) + i - 1, col - 1
    end
  end
  fail('%s: no "%s" in the buffer', vim.api.nvim_buf_get_name(buf), needle)
end

local function show(diags)
  local out = {}
  for _, d in ipairs(diags) do
    out[#out + 1] = string.format('  %d:%d-%d:%d %s', d.lnum + 1, d.col + 1,
      (d.end_lnum or d.lnum) + 1, (d.end_col or d.col) + 1, d.message)
  end
  return #out > 0 and table.concat(out, '\n') or '  (none)'
end

-- Waits at most ms for a diagnostic of buf at line lnum, bytes col to
-- end_col, whose message holds every string of texts; returns how long it
-- took, in ms.
local function expect_diagnostic(buf, t0, ms, lnum, col, end_col, texts)
  local function matches(d)
    if d.lnum ~= lnum or d.col ~= col or d.end_col ~= end_col or
        d.severity ~= vim.diagnostic.severity.ERROR then
      return false
    end
    for _, t in ipairs(texts) do
      if not d.message:find(t, 1, true) then
        return false
      end
    end
    return true
  end
  local ok = vim.wait(ms - ms_since(t0), function()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if matches(d) then
        return true
      end
    end
    return false
  end, 5)
  local took = ms_since(t0)
  check(ok, '%s: no error at %d:%d-%d:%d saying "%s" within %d ms; the editor shows:\n%s',
    vim.api.nvim_buf_get_name(buf), lnum + 1, col + 1, lnum + 1, end_col + 1,
    table.concat(texts, '" and "'), ms, show(vim.diagnostic.get(buf)))
  return took
end

local function expect_no_diagnostics(buf, t0, ms)
  local ok = vim.wait(ms - ms_since(t0), function()
    return #vim.diagnostic.get(buf) == 0
  end, 5)
  check(ok, '%s: diagnostics still shown %d ms after the fix:\n%s',
    vim.api.nvim_buf_get_name(buf), ms, show(vim.diagnostic.get(buf)))
  return ms_since(t0)
end

-- The result of a request at the cursor, from the one client.
local function request(method, extra, position)
  local params = vim.lsp.util.make_position_params()
  params.position = position or params.position
  for k, v in pairs(extra or {}) do
    params[k] = v
  end
  local replies, err = vim.lsp.buf_request_sync(0, method, params, 2000)
  check(replies ~= nil, '%s: no reply within 2 s (%s)', method, tostring(err))
  for _, reply in pairs(replies) do
    check(reply.error == nil, '%s: error %s', method, vim.inspect(reply.error))
    return reply.result
  end
  fail('%s: no client answered', method)
end

local function test()
  -- The configuration found planner where the test says it is, and
  -- attached it to the team's file that Neovim was started on.
  check(vim.fn.exepath('planner') == planner,
    '"planner" runs %s, not %s', vim.fn.exepath('planner'), planner)
  local team = vim.api.nvim_get_current_buf()
  check(vim.api.nvim_buf_get_name(team) == team_path, 'started on %s, not %s',
    vim.api.nvim_buf_get_name(team), team_path)
  check(vim.bo[team].filetype == 'rollout', 'filetype of a .dsl file is "%s", not "rollout"',
    vim.bo[team].filetype)
  check(vim.b[team].current_syntax == 'rollout', 'syntax of a .dsl file is "%s", not "rollout"',
    tostring(vim.b[team].current_syntax))
  -- (Neovim 0.7 lists a client once it has answered initialize)
  local client
  vim.wait(5000, function()
    for _, c in pairs(vim.lsp.buf_get_clients(team)) do
      client = c
    end
    return client ~= nil and client.initialized
  end, 5)
  check(client ~= nil and client.initialized,
    'no language server attached to %s and initialized within 5 s', team_path)
  local exit_code, exit_signal
  local on_exit = client.config.on_exit
  client.config.on_exit = function(code, signal, id)
    exit_code, exit_signal = code, signal
    if on_exit then
      on_exit(code, signal, id)
    end
  end
  check(#vim.diagnostic.get(team) == 0, 'diagnostics on the example as it is:\n%s',
    show(vim.diagnostic.get(team)))

  -- A misspelt need, typed on a new line of the team's file: the error
  -- comes from the rollout.dsl above it, under the word, within a second.
  local t0 = vim.loop.hrtime()
  type_keys('Goservice cache { in us; needs storag }<Esc>')
  local typed = ms_since(t0)
  local lnum, col = find(team, 'needs storag }')
  check(lnum == 2, 'the typed line is line %d, not 3', lnum + 1)
  col = col + #'needs '
  local took = expect_diagnostic(team, t0, 1000, lnum, col, col + #'storag',
    { "unknown service 'storag'", "did you mean 'storage'" })
  say('misspelt need: error shown %.0f ms after the edit (the typing took %.0f ms of it)', took, typed)

  -- A mistake in the rollout file itself, typed over a group name.
  vim.cmd('edit ' .. vim.fn.fnameescape(rollout_path))
  local rollout = vim.api.nvim_get_current_buf()
  check(vim.lsp.buf_get_clients(rollout)[client.id] ~= nil,
    'the rollout file has not the same server as its team file')
  local ingest = find(rollout, 'service ingest {')
  lnum, col = find(rollout, 'in us, eu, edges', ingest)
  col = col + #'in us, eu, '
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col })
  t0 = vim.loop.hrtime()
  type_keys('ciwedgs<Esc>')
  took = expect_diagnostic(rollout, t0, 1000, lnum, col, col + #'edgs',
    { "unknown cluster or group 'edgs'", "did you mean 'edges'" })
  say('unknown group in rollout.dsl: error shown %.0f ms after the edit', took)
  -- the team's error is still there: both buffers are read as they are
  check(#vim.diagnostic.get(team) == 1, 'with both files edited, the team file shows:\n%s',
    show(vim.diagnostic.get(team)))
  t0 = vim.loop.hrtime()
  vim.cmd('silent undo')
  took = expect_no_diagnostics(rollout, t0, 1000)
  say('undone: rollout.dsl clean %.0f ms after the undo', took)

  -- Hover on a service (K): its own version, not the rollout's, in the
  -- float Neovim opens.
  lnum, col = find(rollout, 'ingest', ingest)
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col + 2 })
  local hover = request('textDocument/hover')
  local text = hover and hover.contents and (hover.contents.value or hover.contents) or ''
  check(type(text) == 'string' and text:find('version `2026.48.2`', 1, true) and
    text:find('**service ingest**', 1, true),
    'hover on ingest does not give its version 2026.48.2: %s', vim.inspect(hover))
  type_keys('K')
  local float
  vim.wait(2000, function()
    for _, win in ipairs(vim.api.nvim_list_wins()) do
      if vim.api.nvim_win_get_config(win).relative ~= '' then
        float = win
      end
    end
    return float ~= nil
  end, 5)
  check(float ~= nil, 'K on ingest opened no float within 2 s')
  local shown = table.concat(vim.api.nvim_buf_get_lines(vim.api.nvim_win_get_buf(float), 0, -1, true), '\n')
  check(shown:find('2026.48.2', 1, true) and shown:find('service ingest', 1, true),
    'the float of K on ingest shows:\n%s', shown)
  vim.api.nvim_win_close(float, true)

  -- References to storage: its declaration in the team's file and the two
  -- needs of the rollout.
  lnum, col = find(rollout, 'needs storage')
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col + #'needs ' + 3 })
  local refs = request('textDocument/references', { context = { includeDeclaration = true } })
  local got = {}
  for _, r in ipairs(refs or {}) do
    got[#got + 1] = string.format('%s:%d:%d', vim.uri_to_fname(r.uri):sub(#root + 2),
      r.range.start.line + 1, r.range.start.character + 1)
  end
  table.sort(got)
  local want = {}
  for i, l in ipairs(vim.api.nvim_buf_get_lines(rollout, 0, -1, true)) do
    local at = l:find('needs storage', 1, true)
    if at then
      want[#want + 1] = string.format('rollout.dsl:%d:%d', i, at + #'needs ')
    end
  end
  want[#want + 1] = 'teams/storage.dsl:2:9'
  check(#want == 3, 'the example has %d needs of storage, not 2', #want - 1)
  check(table.concat(got, ' ') == table.concat(want, ' '),
    'references to storage: %s, expected %s', table.concat(got, ' '), table.concat(want, ' '))

  -- Go to definition (gd) on storage in "needs storage, auth": the team's
  -- buffer (with what was typed in it) and the cursor on the declaration.
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col + #'needs ' + 3 })
  type_keys('gd')
  check(vim.wait(2000, function() return vim.api.nvim_get_current_buf() == team end, 5),
    'go to definition of storage: still in %s', vim.api.nvim_buf_get_name(0))
  local cursor = vim.api.nvim_win_get_cursor(0)
  lnum, col = find(team, 'service storage')
  col = col + #'service '
  check(cursor[1] == lnum + 1 and cursor[2] == col,
    'go to definition of storage: cursor at %d:%d, expected %d:%d', cursor[1], cursor[2] + 1,
    lnum + 1, col + 1)

  -- The typo fixed by typing the missing letter: the error goes away.
  lnum, col = find(team, 'needs storag }')
  vim.api.nvim_win_set_cursor(0, { lnum + 1, col + #'needs storag' - 1 })
  t0 = vim.loop.hrtime()
  type_keys('ae<Esc>')
  took = expect_no_diagnostics(team, t0, 1000)
  say('typo fixed: team file clean %.1f ms after the edit', took)

  -- Completion after "needs query-a": the services, and the word it
  -- replaces is the whole "query-a" (names hold '-').
  type_keys('Goservice   web {in us;needs query-a<Esc>')
  local line = vim.api.nvim_get_current_line()
  check(vim.fn.match(line, '\\k*$') == #line - #'query-a',
    'completion would replace "%s", not "query-a"', line:sub(vim.fn.match(line, '\\k*$') + 1))
  local items = request('textDocument/completion', nil,
    { line = vim.api.nvim_win_get_cursor(0)[1] - 1, character = #line })
  items = items and (items.items or items) or {}
  local labels = {}
  for _, item in ipairs(items) do
    labels[#labels + 1] = item.label
  end
  table.sort(labels)
  check(vim.tbl_contains(labels, 'query-api') and vim.tbl_contains(labels, 'storage') and
    not vim.tbl_contains(labels, 'service'),
    'completion after "needs query-a" offers: %s', table.concat(labels, ' '))
  type_keys('Api}<Esc>')

  -- Formatting: planner fmt's layout, the rest of the file as it was.
  local before = vim.api.nvim_buf_get_lines(team, 0, -2, true)
  if vim.lsp.buf.format then
    vim.lsp.buf.format({ timeout_ms = 2000 })
  else
    vim.lsp.buf.formatting_sync(nil, 2000)
  end
  local after = vim.api.nvim_buf_get_lines(team, 0, -1, true)
  table.insert(before, 'service web { in us; needs query-api }')
  check(table.concat(after, '\n') == table.concat(before, '\n'),
    'formatting gives:\n%s\nexpected:\n%s', table.concat(after, '\n'), table.concat(before, '\n'))

  -- The server ends cleanly when the editor stops it.
  client.stop()
  check(vim.wait(3000, function() return exit_code ~= nil end, 5),
    'planner lsp still running 3 s after shutdown and exit')
  check(exit_code == 0 and exit_signal == 0, 'planner lsp exited with status %s, signal %s',
    tostring(exit_code), tostring(exit_signal))
end

local ok, err = xpcall(test, function(e)
  if type(e) == 'table' and e.failure then
    return e.failure
  end
  return debug.traceback(tostring(e), 2)
end)
if ok then
  say('run-nvim: %d checks passed', checks)
  vim.cmd('qall!')
else
  io.stderr:write('run-nvim: FAIL: ' .. err .. '\n')
  vim.cmd('cquit 1')
end
