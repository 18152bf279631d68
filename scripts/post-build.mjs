// Trunk post-build hook (Trunk.toml), release builds only. Shrinks the staged page, then updates
// each changed file's Subresource Integrity hash in index.html (Trunk computed them before this
// hook ran). One hook doing the steps in turn, because Trunk starts a stage's hooks at once and
// each step rewrites index.html.
// - The wasm: functions laid out for compression (scripts/order-page-wasm.mjs).
// - wasm-bindgen's JavaScript glue (42 KB readable): minified with terser. Trunk minifies only
//   HTML and CSS: its JS minifier cannot parse the glue's `export default` ("Failed to minify
//   JS") and leaves it as is.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';
import { orderFunctions } from './order-page-wasm.mjs';

const staging = process.env.TRUNK_STAGING_DIR;
if (process.env.TRUNK_PROFILE !== 'release' || !staging) process.exit(0);

async function minifyGlue(original) {
  const { code } = await minify(original.toString('utf8'), { module: true, compress: true, mangle: true });
  return Buffer.from(code);
}

const steps = [
  ['.wasm', 'ordered for compression', (bytes) => orderFunctions(bytes)],
  ['.js', 'minified', minifyGlue],
];

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const htmlPath = join(staging, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
for (const [extension, done, shrink] of steps) {
  for (const name of readdirSync(staging).filter((file) => file.endsWith(extension))) {
    const path = join(staging, name);
    const original = readFileSync(path);
    const oldHash = sri(original);
    if (!html.includes(oldHash)) {
      throw new Error(`index.html has no integrity hash for ${name}: not changing it`);
    }
    const shrunk = await shrink(original);
    writeFileSync(path, shrunk);
    html = html.replaceAll(oldHash, sri(shrunk));
    console.log(`${done} ${name}: ${original.length} -> ${shrunk.length} B`);
  }
}
writeFileSync(htmlPath, html);
