// The release build's function layout (scripts/order-page-wasm.mjs): the order is a permutation
// that puts similar functions together, and the shipped wasm can be read and laid out again.
// (The page tests in this directory run the reordered wasm itself; the size layer of
// scripts/test prints what it weighs.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compressionOrder, orderFunctions } from '../../scripts/order-page-wasm.mjs';

const DIST = process.env.E2E_DIST ?? new URL('../../target/e2e-dist', import.meta.url).pathname;

test('the order is a permutation that chains similar functions', () => {
  const pattern = (seed, length) => Buffer.from(Array.from({ length }, (_, i) => (seed * 31 + i * 7) % 251));
  // Two families of functions, interleaved: 0, 2, 4 share one pattern, 1, 3, 5 another.
  const bodies = [0, 1, 2, 3, 4, 5].map((index) => {
    const body = pattern(index % 2 === 0 ? 3 : 11, 64);
    body[63] = index;
    return body;
  });
  const order = compressionOrder(bodies);
  assert.deepEqual([...order].sort(), [0, 1, 2, 3, 4, 5]);
  const family = (index) => index % 2;
  const switches = order.slice(1).filter((index, at) => family(index) !== family(order[at])).length;
  assert.equal(switches, 1, `one family after the other, got ${order}`);
});

test("the page's wasm can be laid out again, with the same code", () => {
  const name = readdirSync(DIST).find((file) => file.endsWith('.wasm'));
  assert.ok(name, `no wasm in ${DIST}: build the release page first`);
  const shipped = readFileSync(join(DIST, name));
  const again = orderFunctions(shipped);
  assert.ok(Math.abs(again.length - shipped.length) < 64, `${shipped.length} -> ${again.length} B`);
  // A different start gives a different chain, so not the same bytes, but about as small.
  const gzipped = (bytes) => gzipSync(bytes, { level: 9 }).length;
  assert.ok(gzipped(again) < gzipped(shipped) * 1.02, `${gzipped(shipped)} -> ${gzipped(again)} B gzip`);
  assert.ok(WebAssembly.validate(again), 'the reordered module is valid WebAssembly');
});
