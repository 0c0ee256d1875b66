// Writes schema.json (the plan format's JSON Schema) for the YAML extension
// from the prikaz next to this repository, or the one on PATH.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const repo = path.resolve(__dirname, "..", "..", "..");
const candidates = [
  process.env.PRIKAZ,
  path.join(repo, "target", "release", "prikaz"),
  path.join(repo, "target", "debug", "prikaz"),
  "prikaz",
].filter(Boolean);
for (const bin of candidates) {
  try {
    const schema = execFileSync(bin, ["schema"], { encoding: "utf8" });
    JSON.parse(schema);
    fs.writeFileSync(path.join(__dirname, "..", "schema.json"), schema);
    console.log(`schema.json из ${bin}`);
    process.exit(0);
  } catch (e) {
    // the next candidate
  }
}
console.error("prikaz не найден: соберите его (cargo build) или укажите PRIKAZ=путь");
process.exit(1);
