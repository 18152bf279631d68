// The playground end to end: the release page in headless Chromium, driven with real key presses
// and clicks. Time runs in real time (1x) unless a test pauses it; assertions wait for what the
// simulator shows instead of sleeping for fixed times, except where a test checks that
// something does NOT happen (then it lets real time pass).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { openPlayground, SCREENSHOTS } from './browser.mjs';

let playground;
let page;
before(async () => {
  playground = await openPlayground({ query: '?seed=4242' });
  page = playground.page;
  await page.getByTestId('console-input-1').waitFor();
});
after(async () => {
  await playground?.close();
});

const output = (node) => page.getByTestId(`console-output-${node}`);
const replies = (node) => output(node).locator('.console-reply');

/** Types `line` at node `node`'s console key by key and presses Enter; returns the entry count before. */
async function typeLine(node, line) {
  const before = await replies(node).count();
  await page.getByTestId(`console-input-${node}`).click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  return before;
}

/** Types `line` and returns what the console printed for it. */
async function run(node, line) {
  const before = await typeLine(node, line);
  await replies(node).nth(before).waitFor({ state: 'attached' });
  return replies(node).nth(before).textContent();
}

test('the seed comes from the address and is shown', async () => {
  assert.equal(await page.getByTestId('seed').inputValue(), '4242');
  assert.match(page.url(), /\?seed=4242$/);
});

test('typing on node 1\'s console prints the reply, with the node\'s prompt', async () => {
  assert.equal(await run(1, 'SET greeting "hello world"'), 'OK\n');
  assert.equal(await run(1, 'GET greeting'), '"hello world"\n');
  assert.equal(await page.getByTestId('console-prompt-1').textContent(), '10.0.0.1:6379> ');
  assert.match(await output(1).textContent(), /^10\.0\.0\.1:6379> SET greeting "hello world"\nOK\n/);
  await page.screenshot({ path: `${SCREENSHOTS}e2e-console.png` });
});

test('partitioning a console link from the diagram makes the console wait; healing delivers the reply', async () => {
  await page.getByTestId('link-n1-c1').click();
  await page.getByTestId('link-menu-partition').click();
  await assert.doesNotReject(page.getByTestId('link-state-n1-c1').filter({ hasText: 'partitioned' }).waitFor());
  const before = await typeLine(1, 'INCR visits');
  // Real time passes (the clock runs at 1x): still no reply, the console waits.
  await page.waitForTimeout(700);
  assert.equal(await replies(1).count(), before, 'no reply through a partition');
  assert.equal(await page.getByTestId('console-pending-1').count(), 1);
  assert.match(await page.getByTestId('topology').textContent(), /waiting/);
  await page.screenshot({ path: `${SCREENSHOTS}e2e-partition-waiting.png` });
  await page.getByTestId('link-menu-heal').click();
  await replies(1).nth(before).waitFor({ state: 'attached' });
  assert.equal(await replies(1).nth(before).textContent(), '(integer) 1\n');
  assert.equal(await page.getByTestId('console-pending-1').count(), 0);
  await page.screenshot({ path: `${SCREENSHOTS}e2e-healed.png` });
  await page.keyboard.press('Escape');
  await page.getByTestId('link-menu').waitFor({ state: 'detached' });
});

test('crashing a node shows not connected> and the connect is refused; a restart reconnects', async () => {
  await page.getByTestId('crash-2').click();
  await page.getByTestId('console-prompt-2').filter({ hasText: 'not connected>' }).waitFor();
  // As in redis-cli: the first line finds the connection closed, the next one tries to connect.
  assert.equal(await run(2, 'PING'), 'Error: Server closed the connection\n');
  assert.equal(
    await run(2, 'PING'),
    'Could not connect to Redis at 10.0.0.2:6379: Connection refused\n',
  );
  assert.match(await page.getByTestId('node-state-2').textContent(), /crashed/);
  await page.screenshot({ path: `${SCREENSHOTS}e2e-crashed.png` });
  await page.getByTestId('restart-2').click();
  assert.equal(await run(2, 'PING'), 'PONG\n');
  assert.equal(await page.getByTestId('console-prompt-2').textContent(), '10.0.0.2:6379> ');
});

test('the timeline scrubs back to the start and forward to the present', async () => {
  // Pause with Space (outside the consoles), then drive the timeline with the keyboard.
  await page.getByTestId('clock').click();
  await page.keyboard.press('Space');
  assert.match(await page.getByTestId('play-pause').textContent(), /Play/);
  const timeline = page.getByTestId('timeline');
  await timeline.focus();
  await page.keyboard.press('Home');
  await page.getByTestId('timeline-status').filter({ hasText: 'Showing the past' }).waitFor();
  assert.equal(await output(1).textContent(), '', 'nothing was typed yet at the start');
  assert.match(await page.getByTestId('node-state-2').textContent(), /^up/, 'node 2 not crashed yet');
  assert.equal(await page.getByTestId('timeline-marker').count(), 4, 'partition, heal, crash, restart');
  await page.screenshot({ path: `${SCREENSHOTS}e2e-past.png` });
  await page.keyboard.press('End');
  await page.getByTestId('timeline-status').filter({ hasText: 'Live' }).waitFor();
  assert.match(await output(1).textContent(), /INCR visits\n\(integer\) 1\n/);
  assert.match(await output(2).textContent(), /PONG\n$/);
  await page.getByTestId('play-pause').click();
  assert.match(await page.getByTestId('play-pause').textContent(), /Pause/);
});

test('window.playground runs commands and reports the simulation', async () => {
  const result = await page.evaluate(() => {
    const before = playground.advanceMs(0);
    return {
      printed: playground.run(1, 'RPUSH list a b c'),
      range: playground.run('n1', 'LRANGE list 0 -1'),
      readonly: playground.run(3, 'RPUSH list d'),
      keys: playground.info(1).keys,
      nodes: playground.view().nodes.map((node) => node.status),
      advanced: playground.advanceMs(1000) - before,
      role: playground.repl(3).role,
    };
  });
  assert.deepEqual(result, {
    printed: '(integer) 3\n',
    range: '1) "a"\n2) "b"\n3) "c"\n',
    readonly: "(error) READONLY You can't write against a read only replica.\n",
    keys: 3, // greeting, visits and list
    nodes: ['Up', 'Up', 'Up'],
    advanced: 1000,
    role: 'replica',
  });
  // The console shows what the handle typed.
  assert.match(await output(1).textContent(), /LRANGE list 0 -1\n1\) "a"\n2\) "b"\n3\) "c"\n$/);
  const refused = await page.evaluate(() => {
    try {
      playground.fault('melt', 1);
      return 'no error';
    } catch (error) {
      return error.message;
    }
  });
  assert.match(refused, /kind is one of/);
});

test('the page stayed healthy', async () => {
  assert.equal(await page.getByTestId('panic-banner').count(), 0, 'no panic banner');
  assert.deepEqual(playground.problems, [], 'no page or console errors');
});

test('on a 360 px screen in dark mode the consoles are tabs', async () => {
  const narrow = await openPlayground({
    query: '?seed=7',
    viewport: { width: 360, height: 740 },
    colorScheme: 'dark',
  });
  try {
    const small = narrow.page;
    await small.getByTestId('console-input-1').waitFor();
    assert.equal(await small.getByTestId('console-1').isVisible(), true);
    assert.equal(await small.getByTestId('console-2').isVisible(), false);
    await small.getByTestId('console-tab-2').click();
    assert.equal(await small.getByTestId('console-2').isVisible(), true);
    assert.equal(await small.getByTestId('console-1').isVisible(), false);
    await small.getByTestId('console-input-2').click();
    await small.keyboard.type('PING');
    await small.keyboard.press('Enter');
    await small.getByTestId('console-output-2').locator('.console-reply').first().waitFor();
    const overflow = await small.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no horizontal scrolling (${overflow} px too wide)`);
    await small.screenshot({ path: `${SCREENSHOTS}e2e-narrow-dark.png`, fullPage: true });
    await small.getByTestId('link-n2-c2').click();
    await small.getByTestId('link-menu').waitFor();
    await small.screenshot({ path: `${SCREENSHOTS}e2e-narrow-link-menu.png` });
    assert.deepEqual(narrow.problems, []);
  } finally {
    await narrow.close();
  }
});

test('with reduced motion, bytes in flight are words instead of moving dots', async () => {
  const still = await openPlayground({ query: '?seed=11' });
  try {
    const calm = still.page;
    await calm.emulateMedia({ reducedMotion: 'reduce' });
    await calm.getByTestId('console-input-1').waitFor();
    // A slow link and slow motion: a command stays on the wire for seconds of real time.
    await calm.getByTestId('link-n1-c1').click();
    await calm.getByTestId('link-menu-preset').selectOption({ label: 'cross-datacenter' });
    await calm.getByTestId('link-menu-apply').click();
    await calm.getByTestId('speed').fill('-200');
    assert.equal(await calm.getByTestId('speed-value').textContent(), '×0.01');
    await calm.getByTestId('console-input-1').click();
    await calm.keyboard.type('PING');
    await calm.keyboard.press('Enter');
    const label = calm.locator('[data-testid=link-n1-c1] .inflight-label');
    await label.waitFor();
    assert.match(await label.textContent(), /B in flight/);
    assert.equal(await label.isVisible(), true, 'the words are shown');
    const dots = calm.locator('[data-testid=link-n1-c1] circle.segment');
    assert.ok((await dots.count()) > 0, 'the segments are in the page');
    assert.equal(await dots.first().isVisible(), false, 'but not drawn moving');
    await calm.screenshot({ path: `${SCREENSHOTS}e2e-reduced-motion.png` });
    await calm.getByTestId('speed').fill('300');
    await calm.getByTestId('console-output-1').locator('.console-reply').first().waitFor();
    assert.equal(
      await calm.getByTestId('console-output-1').locator('.console-reply').first().textContent(),
      'PONG\n',
    );
    assert.deepEqual(still.problems, []);
  } finally {
    await still.close();
  }
});
