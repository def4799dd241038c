// Transpiles one TypeScript file to CommonJS JavaScript without type checking, as SandboxFusion's `tsx` runs
// TypeScript: syntax errors fail (exit 1, tsc-style messages on stderr), type errors do not (Debian ships no
// @types/node, so `require` and `process` could not be typed anyway).
// Usage: node transpile.js <input.ts> <output.js>
'use strict';
const fs = require('fs');
const ts = require('/usr/share/nodejs/typescript');  // Debian's node-typescript
const [input, output] = process.argv.slice(2);
const source = fs.readFileSync(input, 'utf8');
const result = ts.transpileModule(source, {
    fileName: input,
    reportDiagnostics: true,
    compilerOptions: { target: ts.ScriptTarget.ES2020, module: ts.ModuleKind.CommonJS, esModuleInterop: true },
});
const errors = (result.diagnostics || []).filter((d) => d.category === ts.DiagnosticCategory.Error);
for (const d of errors) {
    const text = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (d.file && d.start !== undefined) {
        const { line, character } = d.file.getLineAndCharacterOfPosition(d.start);
        process.stderr.write(`${input}(${line + 1},${character + 1}): error TS${d.code}: ${text}\n`);
    } else {
        process.stderr.write(`${input}: error TS${d.code}: ${text}\n`);
    }
}
if (errors.length) process.exit(1);
fs.writeFileSync(output, result.outputText);
