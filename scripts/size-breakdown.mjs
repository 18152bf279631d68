// Where the page's WebAssembly goes: reads a wasm that still has its name section (see
// scripts/size-breakdown), sums function bodies by category (raw, and gzip -9 of each category
// compressed alone) and lists the largest functions. Usage: node size-breakdown.mjs <wasm> [top]
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { functionBodies, importedFunctions, leb, sections } from './wasm-sections.mjs';

// First match wins: generic library code before our modules, so a B-tree instantiated for one of
// our types counts as B-tree code.
const CATEGORIES = [
  ['btree', /btree|BTree/],
  ['sort', /slice::sort|sort::(stable|unstable|shared)/],
  ['float (dec2flt, flt2dec)', /dec2flt|flt2dec|num::bignum/],
  ['drop glue', /drop_in_place/],
  ['clone', /Clone>::clone/],
  ['ui (views included)', /replication_playground::ui|CompStateInner<COMP> as yew::html::component::lifecycle::Stateful>::view/],
  ['yew', /yew/],
  ['web_api', /replication_playground::web_api/],
  ['engine: commands', /engine::command/],
  ['engine: rdb', /engine::rdb/],
  ['engine: replication', /engine::(replication|node)/],
  ['engine: other', /replication_playground::engine/],
  ['sim', /replication_playground::sim/],
  ['cli', /replication_playground::cli/],
  ['iterators', /Iterator/],
  ['fmt', /core::fmt|fmt::/],
  ['wasm-bindgen, js-sys, web-sys', /wasm_bindgen|js_sys|web_sys/],
  ['hashbrown', /hashbrown|HashMap/],
  ['allocator', /dlmalloc|__rust_(alloc|dealloc|realloc)/],
  ['alloc (other)', /alloc/],
  ['core (other)', /core/],
];

function functionNames(bytes, custom) {
  const names = new Map();
  for (const section of custom) {
    let at = section.body;
    let length;
    [length, at] = leb(bytes, at);
    if (new TextDecoder().decode(bytes.subarray(at, at + length)) !== 'name') continue;
    at += length;
    while (at < section.end) {
      const kind = bytes[at++];
      let size;
      [size, at] = leb(bytes, at);
      const next = at + size;
      if (kind === 1) {
        let count;
        [count, at] = leb(bytes, at);
        for (let i = 0; i < count; i++) {
          let index;
          let nameLength;
          [index, at] = leb(bytes, at);
          [nameLength, at] = leb(bytes, at);
          names.set(index, new TextDecoder().decode(bytes.subarray(at, at + nameLength)));
          at += nameLength;
        }
      }
      at = next;
    }
  }
  return names;
}

const [path, topArg] = process.argv.slice(2);
const bytes = readFileSync(path);
const all = sections(bytes);
const names = functionNames(bytes, all.filter((s) => s.id === 0));
const imported = importedFunctions(bytes, all.find((s) => s.id === 2));
const code = all.find((s) => s.id === 10);
const data = all.find((s) => s.id === 11);

const functions = functionBodies(bytes, code).map((body, index) => ({
  name: (names.get(imported + index) ?? `#${imported + index}`).replace(/::h[0-9a-f]{16}$/, ''),
  body,
}));

const groups = new Map();
for (const fn of functions) {
  const category = CATEGORIES.find(([, pattern]) => pattern.test(fn.name))?.[0] ?? 'other';
  if (!groups.has(category)) groups.set(category, []);
  groups.get(category).push(fn.body);
}
const gzipOf = (parts) => gzipSync(Buffer.concat(parts), { level: 9 }).length;
const pad = (value, width) => String(value).padStart(width);
console.log(`${pad('raw B', 9)} ${pad('gzip B', 8)} ${pad('fns', 5)}  category`);
const rows = [...groups].map(([category, bodies]) => ({
  category,
  raw: bodies.reduce((sum, body) => sum + body.length, 0),
  gzip: gzipOf(bodies),
  count: bodies.length,
}));
for (const row of rows.sort((a, b) => b.raw - a.raw)) {
  console.log(`${pad(row.raw, 9)} ${pad(row.gzip, 8)} ${pad(row.count, 5)}  ${row.category}`);
}
const codeRaw = rows.reduce((sum, row) => sum + row.raw, 0);
console.log(`${pad(codeRaw, 9)} ${pad(gzipOf(functions.map((fn) => fn.body)), 8)} ${pad(functions.length, 5)}  all code`);
if (data) {
  const dataBytes = bytes.subarray(data.body, data.end);
  console.log(`${pad(dataBytes.length, 9)} ${pad(gzipOf([dataBytes]), 8)}        data segments`);
}
const top = Number(topArg ?? 25);
console.log(`\nlargest ${top} functions (raw B):`);
for (const fn of [...functions].sort((a, b) => b.body.length - a.body.length).slice(0, top)) {
  console.log(`${pad(fn.body.length, 7)}  ${fn.name.slice(0, 150)}`);
}
