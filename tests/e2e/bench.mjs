// The page benchmark (a script, not a test: `scripts/bench page`, after a release build into
// target/e2e-dist). In headless Chromium (Debian's), it measures:
//   1. first load to an interactive console: navigation start to node 1's console on screen,
//      and to its first reply (PING typed with real key presses);
//   2. frame times under load: 5 nodes (a master and 4 replicas), 2 000 SETs per virtual second
//      on the master at speed 1, every panel on screen; the intervals between animation frames
//      for BENCH_SECONDS of real time (p50, p95, max), and how much virtual time passed.
//   The page's own work per frame is timed too: every animation-frame callback, from its start
//   to a microtask queued after it (Yew renders in microtasks the callback queued), so layout
//   and painting are not in it; the interval between frames includes everything.
// Prints one JSON object.
import { openPlayground } from './browser.mjs';

// Wraps requestAnimationFrame before the page loads, recording each callback's work.
const TIME_FRAMES = () => {
  window.__frameWork = [];
  const original = window.requestAnimationFrame.bind(window);
  window.__plainRequestAnimationFrame = original;
  window.requestAnimationFrame = (callback) => original((time) => {
    const start = performance.now();
    callback(time);
    queueMicrotask(() => queueMicrotask(() => window.__frameWork.push(performance.now() - start)));
  });
};

const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WRITES_PER_S = 2000;

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const results = {};
const { page, problems, close } = await openPlayground({
  query: '?seed=99', viewport: { width: 1400, height: 1000 }, initScript: TIME_FRAMES,
});
try {
  // 1. First load (openPlayground navigated already; the page's own clock says when).
  await page.getByTestId('console-input-1').waitFor();
  results.console_on_screen_ms = Math.round(await page.evaluate(() => performance.now()));
  await page.getByTestId('console-input-1').click();
  await page.keyboard.type('PING');
  await page.keyboard.press('Enter');
  await page.getByTestId('console-output-1').locator('.console-reply').first().waitFor();
  results.first_reply_ms = Math.round(await page.evaluate(() => performance.now()));

  // 2. Five nodes: add two, make them replicas of node 1 (as a user would), let them sync.
  for (const node of [4, 5]) {
    await page.getByTestId('add-node').click();
    await page.getByTestId(`replicaof-${node}`).selectOption('1');
  }
  await page.evaluate(() => window.playground.advanceMs(7000));
  await page.evaluate((rate) => window.playground.load(1, rate), WRITES_PER_S);
  await page.waitForTimeout(2000); // warm up
  const measure = () => page.evaluate(async (seconds) => {
    window.__frameWork = [];
    // The measuring loop's own frames go around the timing wrapper: only the app's are timed.
    const raf = window.__plainRequestAnimationFrame ?? window.requestAnimationFrame;
    const frames = [];
    const startVirtual = window.playground.view().now_ms;
    await new Promise((resolve) => {
      const end = performance.now() + seconds * 1000;
      const tick = (time) => {
        frames.push(time);
        if (time < end) raf(tick);
        else resolve();
      };
      raf(tick);
    });
    const intervals = frames.slice(1).map((time, index) => time - frames[index]);
    return {
      intervals,
      work: window.__frameWork.slice(),
      virtual_ms: window.playground.view().now_ms - startVirtual,
      real_ms: frames[frames.length - 1] - frames[0],
    };
  }, SECONDS);
  const summary = (measured) => {
    const sorted = [...measured.intervals].sort((a, b) => a - b);
    const work = [...measured.work].sort((a, b) => a - b);
    return {
      frames: measured.intervals.length,
      frame_ms_p50: Number(percentile(sorted, 0.5).toFixed(1)),
      frame_ms_p95: Number(percentile(sorted, 0.95).toFixed(1)),
      frame_ms_max: Number(sorted[sorted.length - 1].toFixed(1)),
      page_work_ms_p50: Number(percentile(work, 0.5).toFixed(1)),
      page_work_ms_p95: Number(percentile(work, 0.95).toFixed(1)),
      virtual_per_real: Number((measured.virtual_ms / measured.real_ms).toFixed(3)),
    };
  };
  // The top of the page (diagram, node list, consoles), then the replication panels in view.
  const top = summary(await measure());
  await page.getByTestId('node-panel-1').scrollIntoViewIfNeeded();
  const panels = summary(await measure());
  const repl = await page.evaluate(() => window.playground.repl(1));
  Object.assign(results, {
    nodes: (await page.evaluate(() => window.playground.view().nodes.length)),
    replicas_online: repl.replicas.filter((replica) => replica.state === 'online').length,
    writes_per_virtual_s: WRITES_PER_S,
    top_of_page: top,
    replication_panels_in_view: panels,
    backlog_wraps: repl.backlog.wraps,
    page_problems: problems,
  });
  await page.evaluate(() => window.playground.load(1, 0));
} finally {
  await close();
}
console.log(JSON.stringify(results, null, 2));
