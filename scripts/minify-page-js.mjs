// Trunk post-build hook (Trunk.toml): in release builds, minifies the JavaScript that
// wasm-bindgen generated (42 KB of readable glue; Trunk minifies only HTML and CSS) and updates
// its Subresource Integrity hash in index.html, which Trunk computed before this hook ran.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { minify } from 'terser';

const staging = process.env.TRUNK_STAGING_DIR;
if (process.env.TRUNK_PROFILE !== 'release' || !staging) process.exit(0);

const sri = (bytes) => `sha384-${createHash('sha384').update(bytes).digest('base64')}`;
const htmlPath = join(staging, 'index.html');
let html = readFileSync(htmlPath, 'utf8');
for (const name of readdirSync(staging).filter((file) => file.endsWith('.js'))) {
  const path = join(staging, name);
  const original = readFileSync(path);
  const { code } = await minify(original.toString('utf8'), {
    module: true,
    compress: true,
    mangle: true,
  });
  const oldHash = sri(original);
  if (!html.includes(oldHash)) {
    throw new Error(`index.html has no integrity hash for ${name}: not minifying it`);
  }
  writeFileSync(path, code);
  html = html.replaceAll(oldHash, sri(Buffer.from(code)));
  console.log(`minified ${name}: ${original.length} -> ${Buffer.byteLength(code)} B`);
}
writeFileSync(htmlPath, html);
