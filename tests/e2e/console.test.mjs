// The console end to end: the release page in headless Chromium, driven with real key presses.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, SCREENSHOTS } from './browser.mjs';

let playground;
before(async () => {
  playground = await openPlayground();
});
after(async () => {
  await playground?.close();
});

const input = () => playground.page.getByTestId('console-input-1');
const replies = () => playground.page.getByTestId('console-output-1').locator('.console-reply');

/** Types `line` into node 1's console key by key, presses Enter and returns what it printed. */
async function typeLine(line, { paste = false } = {}) {
  const before = await replies().count();
  await input().click();
  if (paste) {
    // Typing 10 000 keys one by one would take minutes; insertText is one real input event.
    await playground.page.keyboard.insertText(line);
  } else {
    await playground.page.keyboard.type(line);
  }
  await playground.page.keyboard.press('Enter');
  await replies().nth(before).waitFor({ state: 'attached' });
  return replies().nth(before).textContent();
}

test('PING typed at the console answers PONG', async () => {
  assert.equal(await typeLine('PING'), 'PONG\n');
  await playground.page.screenshot({ path: `${SCREENSHOTS}console-ping.png` });
});

test('ECHO with a quoted argument prints it as redis-cli does', async () => {
  assert.equal(await typeLine('ECHO "hello world"'), '"hello world"\n');
});

test('nasty input gets the answers Redis and redis-cli give, and the page stays alive', async () => {
  assert.equal(await typeLine(''), '', 'an empty line prints nothing');
  assert.equal(await typeLine('ECHO "unbalanced'), 'Invalid argument(s)\n');
  assert.equal(await typeLine('ECHO héllo wörld'), '(error) ERR wrong number of arguments for \'echo\' command\n');
  assert.equal(await typeLine('ECHO "héllo"'), '"h\\xc3\\xa9llo"\n');
  const long = 'x'.repeat(10_000);
  assert.equal(
    await typeLine(long, { paste: true }),
    `(error) ERR unknown command '${'x'.repeat(128)}', with args beginning with: \n`,
  );
  assert.equal(await typeLine('ping'), 'PONG\n', 'the console still answers');
  assert.equal(await playground.page.getByTestId('panic-banner').count(), 0, 'no panic banner');
  assert.deepEqual(playground.problems, [], 'no page or console errors');
  await playground.page.screenshot({ path: `${SCREENSHOTS}console-nasty-input.png` });
});
