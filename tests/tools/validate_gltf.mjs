// Validates every .glb/.gltf under the given folders with the Khronos glTF validator
// (npm package gltf-validator, pinned in package.json; `npm ci --prefix tests/tools`).
//
//   node tests/tools/validate_gltf.mjs DIR_OR_FILE...
//
// Prints per file the number of errors and warnings and the first few errors, then
// "validated N files: E errors, W warnings". Exit 0 when no file has errors; 1 when
// one has, or when no glTF file was found; 2 for bad arguments.
import { createRequire } from 'node:module';
import fs from 'node:fs/promises';
import path from 'node:path';

const require = createRequire(import.meta.url);
let validator;
try {
    validator = require('gltf-validator');
} catch {
    console.error('validate_gltf: the gltf-validator package is missing; run: npm ci --prefix tests/tools');
    process.exit(2);
}

const MAX_SHOWN = 5;  // errors printed per file
const count = (n, what) => `${n} ${what}${n === 1 ? '' : 's'}`;

async function* gltf_files(p) {
    const stat = await fs.stat(p);
    if (stat.isFile()) {
        if (/\.(glb|gltf)$/i.test(p)) yield p;
        return;
    }
    const entries = await fs.readdir(p, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const e of entries) {
        const full = path.join(p, e.name);
        if (e.isDirectory()) yield* gltf_files(full);
        else if (e.isFile() && /\.(glb|gltf)$/i.test(e.name)) yield full;
    }
}

async function validate(file) {
    const bytes = new Uint8Array(await fs.readFile(file));
    const dir = path.dirname(file);
    return validator.validateBytes(bytes, {
        uri: path.basename(file),
        maxIssues: 1000,
        // .gltf files name their buffers and images by relative URI; resolve them
        // next to the file, and never outside its folder.
        externalResourceFunction: async (uri) => {
            const target = path.resolve(dir, decodeURIComponent(uri));
            if (path.relative(dir, target).startsWith('..') || path.isAbsolute(decodeURIComponent(uri)))
                throw new Error(`external resource '${uri}' is outside the folder of ${file}`);
            return new Uint8Array(await fs.readFile(target));
        },
    });
}

const args = process.argv.slice(2);
if (args.length === 0 || args.includes('--help') || args.includes('-h')) {
    console.error('usage: node validate_gltf.mjs DIR_OR_FILE...  (validates every .glb/.gltf found)');
    process.exit(args.length === 0 ? 2 : 0);
}

let files = 0, errors = 0, warnings = 0, failed_files = 0;
for (const arg of args) {
    try {
        await fs.stat(arg);
    } catch {
        console.error(`validate_gltf: '${arg}' does not exist`);
        process.exitCode = 1;
        continue;
    }
    for await (const file of gltf_files(arg)) {
        ++files;
        let report;
        try {
            report = await validate(file);
        } catch (e) {
            // The validator rejects input it cannot even parse as glTF or GLB.
            ++errors;
            ++failed_files;
            console.log(`${file}: ${count(1, 'error')}, ${count(0, 'warning')}`);
            console.log(`  error INVALID_INPUT: ${e}`);
            continue;
        }
        const issues = report.issues;
        errors += issues.numErrors;
        warnings += issues.numWarnings;
        if (issues.numErrors > 0) ++failed_files;
        console.log(`${file}: ${count(issues.numErrors, 'error')}, ${count(issues.numWarnings, 'warning')}`);
        const shown = issues.messages.filter((m) => m.severity === 0).slice(0, MAX_SHOWN);
        for (const m of shown) console.log(`  error ${m.code} at ${m.pointer ?? '(file)'}: ${m.message}`);
        if (issues.numErrors > shown.length) console.log(`  ... and ${issues.numErrors - shown.length} more errors`);
    }
}
console.log(`validated ${files} files: ${errors} errors, ${warnings} warnings`);  // fixed wording: tests match it
if (files === 0) {
    console.log(`validate_gltf: no .glb or .gltf files found under ${args.join(', ')}`);
    process.exit(1);
}
process.exit(failed_files > 0 || process.exitCode ? 1 : 0);
