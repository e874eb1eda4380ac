-- init.lua: planner lsp for *.dsl files, in Neovim 0.7 and later.
-- docs/editors.md shows this file; tests/run-nvim runs Neovim with it as
-- the user's configuration, and scripts/editor-screenshot too.

-- Neovim's own detection calls *.dsl "structurizr"; 'set', not 'setf',
-- overrules it, wherever this line runs.
vim.cmd([[autocmd BufRead,BufNewFile *.dsl set filetype=rollout]])

-- Keys in the buffers the server serves (Neovim 0.7 sets none).
local function on_attach(_, buf)
  local function map(lhs, fn)
    vim.keymap.set('n', lhs, fn, { buffer = buf, silent = true })
  end
  map('gd', vim.lsp.buf.definition)
  map('gr', vim.lsp.buf.references)
  map('K', vim.lsp.buf.hover)
  map('gl', vim.diagnostic.open_float)
  -- completion with CTRL-X CTRL-O
  vim.bo[buf].omnifunc = 'v:lua.vim.lsp.omnifunc'
end

-- At the end of the line, a diagnostic's first line; the whole message,
-- with planner's help lines, in the float of gl.
vim.diagnostic.config({
  virtual_text = { format = function(d) return d.message:match('[^\n]*') end },
  float = { border = 'rounded' },
})

-- One server per rollout: the directory of the nearest rollout.dsl above
-- the file (the file's own directory when there is none).
local clients = {}

vim.api.nvim_create_autocmd('FileType', {
  pattern = 'rollout',
  callback = function(args)
    -- names hold '-': a word is a whole name, for completion too
    vim.opt_local.iskeyword:append('-')
    local dir = vim.fn.fnamemodify(vim.api.nvim_buf_get_name(args.buf), ':p:h')
    local found = vim.fn.findfile('rollout.dsl', vim.fn.escape(dir, ' ,') .. ';')
    local root = found ~= '' and vim.fn.fnamemodify(found, ':p:h') or dir
    if not clients[root] then
      clients[root] = vim.lsp.start_client({
        name = 'planner',
        cmd = { 'planner', 'lsp' },
        root_dir = root,
        on_attach = on_attach,
        on_exit = function() clients[root] = nil end,
      })
    end
    if clients[root] then
      vim.lsp.buf_attach_client(args.buf, clients[root])
    end
  end,
})
