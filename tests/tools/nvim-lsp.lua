-- Neovim's built-in LSP client on a plan: start `prikaz lsp`, attach it to
-- the buffer, wait for the diagnostics and write them, one per line, as
-- «line:col severity code message». Works from Neovim 0.7 on.
local bin, root, file, out = vim.env.PRIKAZ_BIN, vim.env.PRIKAZ_ROOT, vim.env.PRIKAZ_FILE, vim.env.PRIKAZ_OUT
vim.cmd("edit " .. vim.fn.fnameescape(file))
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = "prikaz", cmd = { bin, "lsp" }, root_dir = root })
vim.lsp.buf_attach_client(buf, id)
local got = vim.wait(20000, function()
  return #vim.diagnostic.get(buf) > 0
end, 50)
local lines = {}
if not got then
  table.insert(lines, "no diagnostics")
end
for _, d in ipairs(vim.diagnostic.get(buf)) do
  local code = d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code) or "?"
  local message = d.message:gsub("\n", " | ")
  table.insert(lines, string.format("%d:%d %d %s %s", d.lnum + 1, d.col + 1, d.severity, code, message))
end
vim.fn.writefile(lines, out)
vim.lsp.stop_client(id)
vim.cmd("qa!")
