// Lays out the page's WebAssembly functions so that similar ones sit next to each other, which
// gzip (a 32 KB window) compresses far better than the compiler's order: about 7.5 KB less over
// the wire, the same code otherwise. Release builds do it in Trunk's post-build hook
// (scripts/post-build.mjs).
//
// The order is a greedy chain: from the first function, always the unplaced function that shares
// the most with the last one placed (and, a quarter as much, the one before): the 4-byte
// sequences they have in common, each weighted by how rare it is in the module (a sequence few
// functions share says more than a common one). binaryen applies it: the functions get
// names that sort in that order, `wasm-opt --reorder-functions-by-name` moves them (fixing every
// call and table index), and the names are stripped again. Usage outside Trunk, for measuring:
// node scripts/order-page-wasm.mjs <in.wasm> <out.wasm> (scripts/size-breakdown does).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { functionBodies, importedFunctions, lebBytes, sections } from './wasm-sections.mjs';

const GRAM_BYTES = 4;
// A sequence shared by more functions than this (common prologues, `i32.const 0`) says nothing
// about similarity and would make each step scan most of the module.
const GRAM_FUNCTIONS_MAX = 400;
// How much the function placed before the last one counts.
const PREVIOUS_WEIGHT = 0.25;

// The greedy chain over `bodies`: a permutation of their indices.
export function compressionOrder(bodies) {
  const grams = bodies.map((body) => {
    const set = new Set();
    for (let i = 0; i + GRAM_BYTES <= body.length; i++) set.add(body.readUInt32LE(i));
    return set;
  });
  const holders = new Map();
  grams.forEach((set, index) => {
    for (const gram of set) {
      let list = holders.get(gram);
      if (!list) holders.set(gram, (list = []));
      if (list.length < GRAM_FUNCTIONS_MAX) list.push(index);
    }
  });
  const placed = new Uint8Array(bodies.length);
  const order = [];
  let nextUnplaced = 0;
  let current = 0;
  while (order.length < bodies.length) {
    placed[current] = 1;
    order.push(current);
    const shared = new Map();
    const context = [[current, 1]];
    if (order.length > 1) context.push([order[order.length - 2], PREVIOUS_WEIGHT]);
    for (const [neighbour, weight] of context) {
      for (const gram of grams[neighbour]) {
        const list = holders.get(gram);
        if (list.length >= GRAM_FUNCTIONS_MAX) continue;
        const score = weight * Math.log(GRAM_FUNCTIONS_MAX / list.length + 1);
        for (const other of list) {
          if (!placed[other]) shared.set(other, (shared.get(other) ?? 0) + score);
        }
      }
    }
    let best = -1;
    let bestShared = 0;
    for (const [other, count] of shared) {
      if (count > bestShared) [best, bestShared] = [other, count];
    }
    if (best < 0) {
      while (nextUnplaced < bodies.length && placed[nextUnplaced]) nextUnplaced++;
      best = nextUnplaced;
    }
    current = best;
  }
  return order;
}

// `bytes` with its functions in compression order (and no name section).
export function orderFunctions(bytes) {
  const all = sections(bytes);
  const code = all.find((section) => section.id === 10);
  const imported = importedFunctions(bytes, all.find((section) => section.id === 2));
  const bodies = functionBodies(bytes, code);
  const order = compressionOrder(bodies);
  const width = String(bodies.length).length;
  const entries = [];
  const rankOf = new Array(bodies.length);
  order.forEach((index, rank) => (rankOf[index] = rank));
  for (let index = 0; index < bodies.length; index++) {
    const name = Buffer.from(String(rankOf[index]).padStart(width, '0'));
    entries.push(...lebBytes(imported + index), ...lebBytes(name.length), ...name);
  }
  const functionNames = [...lebBytes(bodies.length), ...entries];
  const nameSection = [4, ...Buffer.from('name'), 1, ...lebBytes(functionNames.length), ...functionNames];
  const isNameSection = (section) =>
    section.id === 0 && bytes.subarray(section.body + 1, section.body + 5).toString() === 'name';
  const named = Buffer.concat([
    bytes.subarray(0, 8),
    ...all.filter((section) => !isNameSection(section)).map((s) => bytes.subarray(s.start, s.end)),
    Buffer.from([0, ...lebBytes(nameSection.length), ...nameSection]),
  ]);
  // -ol 2 -s 2 with StackIR: the writer's own shrinking, as after Trunk's -Oz (without it the
  // rewrite alone adds 0.8 KB); no optimisation pass runs. The names go again, and so does the
  // producers section (only tools read it). The target-features section stays: binaryen reads
  // the features from it, so that the shipped wasm can be read again.
  const result = spawnSync(
    'wasm-opt',
    ['-ol', '2', '-s', '2', '--generate-stack-ir', '--optimize-stack-ir',
      '--reorder-functions-by-name', '--strip-debug', '--strip-producers', '-', '-o', '-'],
    { input: named, maxBuffer: 64 * 1024 * 1024 },
  );
  if (result.status !== 0) {
    throw new Error(`wasm-opt failed: ${result.error ?? result.stderr.toString()}`);
  }
  const ordered = result.stdout;
  const orderedBodies = functionBodies(ordered, sections(ordered).find((s) => s.id === 10));
  if (orderedBodies.length !== bodies.length) {
    throw new Error(`reordering changed the function count (${bodies.length} -> ${orderedBodies.length})`);
  }
  return ordered;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [input, output] = process.argv.slice(2);
  if (!input || !output) {
    console.error('usage: node scripts/order-page-wasm.mjs <in.wasm> <out.wasm>');
    process.exit(2);
  }
  writeFileSync(output, orderFunctions(readFileSync(input)));
}
