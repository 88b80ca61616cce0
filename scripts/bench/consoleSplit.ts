/**
 * Where a cold navigation's time goes: one fresh tab opens a list under a Chromium trace, and the
 * trace of that tab's main thread is cut at the moments that matter (HTML received, the shell's
 * JavaScript evaluated, the first row in the DOM, that row painted), each stretch split into what
 * the thread did (compiling, running script, style and layout, painting, GC) and how long it sat idle.
 */
import type { BrowserContext } from 'playwright-core';

/** Milliseconds since the navigation started, as the page's own `performance` clock counts them. */
export interface ColdMoments {
  htmlReceived: number;
  /** The last of the shell's scripts (those asked for before main.tsx ran) received. */
  shellFetched: number;
  /** main.tsx began: every static import of the shell evaluated. */
  shellEvaluated: number;
  sessionAnswered: number;
  modeAnswered: number;
  /** The list's first page (asked for by preloadRoute) received. */
  listAnswered: number;
  /** The first `tbody tr` entered the DOM. */
  firstRow: number;
  /** The frame after it was painted. */
  painted: number;
}

/** `other` is mostly the scheduler's own task overhead (RunTask) and IPC. */
export type Activity = 'compile' | 'script' | 'style+layout' | 'paint' | 'gc' | 'other' | 'idle';
export const ACTIVITIES: Activity[] = ['compile', 'script', 'style+layout', 'paint', 'gc', 'other', 'idle'];

export interface ColdStretch {
  name: string;
  from: number;
  to: number;
  /** Main-thread milliseconds by activity within the stretch; they add up to its length. */
  activity: Record<Activity, number>;
}

export interface ColdSplit {
  moments: ColdMoments;
  stretches: ColdStretch[];
  /** Scripts compiled on the main thread, and how many of them V8 took from its code cache. */
  scripts: { compiled: number; fromCodeCache: number; shellBytes: number; shellFromHttpCache: boolean };
}

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { data?: Record<string, unknown>; [k: string]: unknown };
}

const CATEGORIES = [
  '-*',
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.compile',
  'blink.user_timing',
  'loading',
];

// Marks the page sets itself (main.tsx sets the first, the init script below the others).
const SHELL_MARK = 'opsroom:shell-evaluated';
const ROW_MARK = 'bench:first-row';
const PAINT_MARK = 'bench:painted';

function activityOf(name: string): Activity {
  if (/GC|Garbage|Sweep|Mark(ing)?Compact|Scaveng/i.test(name)) return 'gc';
  // V8 compiling: parsing, bytecode, and the tiers above it (tier-up checks, Maglev/Turbofan, deopts, icache flushes).
  if (/compile|^v8\.parse|ParseFunction|ParseScript|PreParse|produce(Module)?Cache|deserializ|StreamingCompile|BytecodeBudget|Maglev|Turbofan|Optimize|Deoptimize|Baseline|FlushInstructionCache/i.test(name)) return 'compile';
  if (/^(UpdateLayoutTree|Layout|RecalculateStyles|ParseAuthorStyleSheet|InvalidateLayout|PrePaint|Layerize|HitTest|UpdateLayer|StyleInvalidator|LocalFrameView::)/.test(name)) return 'style+layout';
  if (/^(Paint|PaintImage|Commit|CompositeLayers|Decode|Raster)/.test(name)) return 'paint';
  if (/^(EvaluateScript|v8\.evaluateModule|FunctionCall|TimerFire|EventDispatch|RunMicrotasks|V8\.Execute|v8\.run|v8\.callFunction|FireAnimationFrame|XHR|ParseHTML|v8\.callModuleMethod|RequestIdleCallback|FireIdleCallback|MutationObserver|v8\.newInstance)/.test(name))
    return 'script';
  return 'other';
}

/** Self-time intervals of each complete event on one thread, by activity (nested events take their own share). */
function selfIntervals(events: TraceEvent[]): { activity: Activity; from: number; to: number }[] {
  const spans = events
    .filter((e) => e.ph === 'X' && (e.dur ?? 0) > 0)
    .map((e) => ({ name: e.name, from: e.ts, to: e.ts + e.dur! }))
    .sort((a, b) => a.from - b.from || b.to - a.to);
  const out: { activity: Activity; from: number; to: number }[] = [];
  // Each open span with the point up to which its self time has been handed out.
  const stack: { name: string; to: number; cursor: number }[] = [];
  const close = (until: number) => {
    while (stack.length && stack.at(-1)!.to <= until) {
      const top = stack.pop()!;
      if (top.to > top.cursor) out.push({ activity: activityOf(top.name), from: top.cursor, to: top.to });
      if (stack.length) stack.at(-1)!.cursor = Math.max(stack.at(-1)!.cursor, top.to);
    }
  };
  for (const s of spans) {
    close(s.from);
    const parent = stack.at(-1);
    if (parent) {
      if (s.from > parent.cursor) out.push({ activity: activityOf(parent.name), from: parent.cursor, to: s.from });
      // A child that outlives its parent (clock rounding) is cut to it.
      s.to = Math.min(s.to, parent.to);
    }
    stack.push({ name: s.name, to: s.to, cursor: s.from });
  }
  close(Number.POSITIVE_INFINITY);
  return out;
}

/** Opens `url` in a fresh tab of `context` under a trace and splits the time to its first painted row. */
export async function tracedColdLoad(context: BrowserContext, url: string, rowSelector = 'tbody tr'): Promise<ColdSplit> {
  const page = await context.newPage();
  try {
    await page.addInitScript(
      ({ selector, rowMark, paintMark }) => {
        const seen = new MutationObserver(() => {
          if (!document.querySelector(selector)) return;
          seen.disconnect();
          performance.mark(rowMark);
          // A message posted from a frame callback is handled once that frame's rendering steps ran.
          requestAnimationFrame(() => {
            const channel = new MessageChannel();
            channel.port1.onmessage = () => performance.mark(paintMark);
            channel.port2.postMessage(0);
          });
        });
        seen.observe(document, { childList: true, subtree: true });
      },
      { selector: rowSelector, rowMark: ROW_MARK, paintMark: PAINT_MARK },
    );
    const cdp = await context.newCDPSession(page);
    const events: TraceEvent[] = [];
    cdp.on('Tracing.dataCollected', ({ value }) => events.push(...(value as unknown as TraceEvent[])));
    const complete = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
    await cdp.send('Tracing.start', { transferMode: 'ReportEvents', traceConfig: { includedCategories: CATEGORIES } });
    await page.goto(url);
    await page.waitForFunction((mark) => performance.getEntriesByName(mark).length > 0, PAINT_MARK, { timeout: 30_000, polling: 50 });
    // No named helpers inside: tsx wraps them in a `__name` call the page does not have.
    const perf = await page.evaluate(
      ({ marks }) => ({
        htmlReceived: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming).responseEnd,
        marks: Object.fromEntries(marks.map((m) => [m, performance.getEntriesByName(m)[0]?.startTime ?? Number.NaN])),
        resources: (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).map((r) => ({
          url: r.name,
          startTime: r.startTime,
          responseEnd: r.responseEnd,
          transferSize: r.transferSize,
          encodedBodySize: r.encodedBodySize,
        })),
      }),
      { marks: [SHELL_MARK, ROW_MARK, PAINT_MARK] },
    );
    await cdp.send('Tracing.end');
    await complete;
    await cdp.detach();

    const shellAt = perf.marks[SHELL_MARK]!;
    const path = (u: string) => new URL(u).pathname;
    const shell = perf.resources.filter((r) => path(r.url).endsWith('.js') && r.startTime < shellAt);
    const answered = (p: string, pred: (u: string) => boolean = () => true) =>
      perf.resources.find((r) => path(r.url) === p && pred(r.url))?.responseEnd ?? Number.NaN;
    const listPath = path(url.replace('/#/', '/api/').split('?')[0]!);
    // The trace's clock is in microseconds on another origin: the shell mark, seen on both, aligns them.
    const mark = events.find((e) => e.cat.includes('blink.user_timing') && e.name === SHELL_MARK);
    if (!mark) throw new Error(`the trace has no "${SHELL_MARK}" mark: is main.tsx setting it?`);
    const origin = mark.ts - shellAt * 1000;
    // A response whose body is never read (the mode check's 401) gets no resource timing: the trace has it.
    const responded = (p: string) => {
      const sent = events.find((e) => e.name === 'ResourceSendRequest' && typeof e.args?.data?.url === 'string' && path(e.args.data.url as string) === p);
      const got = sent && events.find((e) => e.name === 'ResourceReceiveResponse' && e.args?.data?.requestId === sent.args?.data?.requestId);
      return got ? (got.ts - origin) / 1000 : Number.NaN;
    };
    const moments: ColdMoments = {
      htmlReceived: perf.htmlReceived,
      shellFetched: Math.max(...shell.map((r) => r.responseEnd)),
      shellEvaluated: shellAt,
      sessionAnswered: answered('/api/auth/me'),
      modeAnswered: responded('/api/auth/mode'),
      listAnswered: answered(listPath, (u) => decodeURIComponent(u).includes('range=[0,')),
      firstRow: perf.marks[ROW_MARK]!,
      painted: perf.marks[PAINT_MARK]!,
    };

    const thread = events.filter((e) => e.pid === mark.pid && e.tid === mark.tid);
    const busy = selfIntervals(thread);
    const bounds: [string, number, number][] = [
      ['navigation → HTML received', 0, moments.htmlReceived],
      ['HTML → shell scripts received', moments.htmlReceived, Math.max(moments.htmlReceived, moments.shellFetched)],
      ['→ shell evaluated (main.tsx runs)', Math.max(moments.htmlReceived, moments.shellFetched), moments.shellEvaluated],
      ['shell evaluated → first row in the DOM', moments.shellEvaluated, moments.firstRow],
      ['first row → painted', moments.firstRow, moments.painted],
    ];
    const stretches = bounds.map(([name, from, to]) => {
      const activity = Object.fromEntries(ACTIVITIES.map((a) => [a, 0])) as Record<Activity, number>;
      const [a, b] = [origin + from * 1000, origin + to * 1000];
      for (const i of busy) {
        const overlap = Math.min(b, i.to) - Math.max(a, i.from);
        if (overlap > 0) activity[i.activity] += overlap / 1000;
      }
      activity.idle = Math.max(0, to - from - ACTIVITIES.filter((x) => x !== 'idle').reduce((s, x) => s + activity[x], 0));
      return { name, from, to, activity };
    });

    const compiles = thread.filter((e) => /^v8\.compile(Module)?$/.test(e.name) && e.ph === 'X');
    const fromCache = compiles.filter((e) => Number(e.args?.data?.consumedCacheSize ?? 0) > 0 && !e.args?.data?.cacheRejected);
    return {
      moments,
      stretches,
      scripts: {
        compiled: compiles.length,
        fromCodeCache: fromCache.length,
        shellBytes: shell.reduce((s, r) => s + r.encodedBodySize, 0),
        shellFromHttpCache: shell.every((r) => r.transferSize === 0),
      },
    };
  } finally {
    await page.close();
  }
}
