import { createHash } from 'node:crypto';
import type { OutputChunk } from 'rolldown';
import type { Plugin, UserConfig } from 'vite';

/** The name the loader goes by in the page; the chunks call it, nothing else should. */
const LOADER = '__opsroomChunks';

/**
 * Ships the console as classic scripts, still split into chunks, instead of ES modules.
 *
 * Why: an operator's browser keeps V8's compiled code for a classic script in its cache and reuses it
 * on the next load; for module scripts Chromium (with BackgroundResourceFetch, on by default in
 * 156) never does, so every cold load of the console compiled all of its JavaScript again, about
 * half a second on the test machine (bench/README.md, "Where a cold load's time goes").
 *
 * How: Rolldown writes each chunk as CommonJS (`require("./x.js")` between chunks,
 * `Promise.resolve().then(() => require("./x.js"))` for a lazy one); each chunk is wrapped so that
 * running it only registers it with a small loader, and a lazy import asks the loader to fetch the
 * chunk and the chunks it needs first. The loader, with the graph of chunk imports, is one more
 * hashed file that index.html runs first; the entry's chunks follow as `defer` scripts, in order.
 */
export function classicChunks(): Plugin {
  let loaderFile = '';
  return {
    name: 'opsroom:classic-chunks',
    apply: 'build',
    config(): UserConfig {
      return {
        build: {
          // A module preload is a module fetch, and these are not modules.
          modulePreload: false,
          rolldownOptions: {
            output: {
              format: 'cjs',
              banner: (chunk) => `${LOADER}.define(${JSON.stringify(base(chunk.fileName))},function(require,module,exports){`,
              footer: (chunk) => `});${chunk.isEntry ? `${LOADER}.start(${JSON.stringify(base(chunk.fileName))});` : ''}`,
            },
            onwarn(warning, warn) {
              // Vite's preload helper reads import.meta only for module preloads, which are off here.
              if (warning.code === 'EMPTY_IMPORT_META' && warning.message.includes('preload-helper')) return;
              // Rolldown keeps "use client" only in ES output; it means nothing to a browser bundle.
              if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use client"')) return;
              warn(warning);
            },
          },
        },
      };
    },
    renderChunk(code) {
      // A lazy import, as Rolldown writes it in CommonJS: fetch it (and what it needs) first.
      const lazy = /Promise\.resolve\(\)\s*\.then\(\s*(?:\(\)\s*=>|function\s*\(\)\s*\{\s*return)\s*require\(\s*("[^"]+")\s*\)\s*\}?\s*\)/g;
      return lazy.test(code) ? { code: code.replace(lazy, `${LOADER}.load($1)`), map: null } : null;
    },
    generateBundle(_options, bundle) {
      const chunks = Object.values(bundle).filter((o): o is OutputChunk => o.type === 'chunk');
      // A lazy import not routed through the loader would run as a plain require() and throw "not
      // loaded" on first use: should Rolldown ever write them differently, the build stops here.
      for (const chunk of chunks)
        for (const lazy of chunk.dynamicImports.filter((f) => !chunk.imports.includes(f))) {
          const name = base(lazy).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
          if (!new RegExp(`${LOADER}\\.load\\(\\s*["'\`]\\./${name}["'\`]\\s*\\)`).test(chunk.code)) {
            throw new Error(`classicChunks: ${chunk.fileName} imports ${lazy} lazily without the chunk loader`);
          }
        }
      const graph = Object.fromEntries(chunks.map((c) => [base(c.fileName), c.imports.map(base)]));
      const source = loaderSource(graph);
      const hash = createHash('sha256').update(source).digest('base64url').slice(0, 8);
      loaderFile = `assets/chunks-${hash}.js`;
      this.emitFile({ type: 'asset', fileName: loaderFile, source });
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return html;
        // Vite transforms index.html from its own generateBundle, after this plugin's has emitted the loader.
        if (!loaderFile) throw new Error('classicChunks: index.html was transformed before the chunk loader was emitted');
        const entry = Object.values(bundle).find((o): o is OutputChunk => o.type === 'chunk' && o.isEntry);
        if (!entry) throw new Error('classicChunks: the build has no entry chunk');
        // Every chunk the entry needs before it runs, dependencies first, the entry last.
        const order: string[] = [];
        const visit = (file: string) => {
          if (order.includes(file)) return;
          const chunk = bundle[file] as OutputChunk;
          for (const dep of chunk.imports) visit(dep);
          order.push(file);
        };
        visit(entry.fileName);
        const scripts = [loaderFile, ...order].map((f) => `<script defer src="/${f}"></script>`).join('\n    ');
        const withoutModule = html.replace(/\s*<script type="module"[^>]*><\/script>/g, '').replace(/\s*<link rel="modulepreload"[^>]*>/g, '');
        if (withoutModule.includes('type="module"')) throw new Error('classicChunks: index.html still loads a module script');
        return withoutModule.replace(/\n?\s*<\/head>/, `\n    ${scripts}\n  </head>`);
      },
    },
  };
}

const base = (file: string) => file.slice(file.lastIndexOf('/') + 1);

/**
 * The page's chunk loader: `define` keeps a chunk's body without running it, `require` runs it once
 * (its static imports are already defined: the page or `load` fetched them first), `load` fetches a
 * lazy chunk and everything it imports in parallel, then runs it. A chunk that fails to download
 * rejects the lazy import, as a failed `import()` would, so React's error boundary shows it.
 */
function loaderSource(graph: Record<string, string[]>): string {
  return `(function(){"use strict";
var graph=${JSON.stringify(graph)},bodies={},modules={},fetching={},dir=document.currentScript.src.replace(/[^/]*$/,"");
function name(spec){return spec.slice(spec.lastIndexOf("/")+1)}
function req(spec){var n=name(spec),m=modules[n];if(m)return m.exports;var body=bodies[n];if(!body)throw new Error("opsroom: chunk "+n+" was not loaded");m=modules[n]={exports:{}};body(req,m,m.exports);return m.exports}
function fetchChunk(n){if(bodies[n])return Promise.resolve();return fetching[n]||(fetching[n]=new Promise(function(resolve,reject){var s=document.createElement("script");s.src=dir+n;s.async=true;s.onload=function(){bodies[n]?resolve():reject(new Error("opsroom: "+n+" did not define itself"))};s.onerror=function(){delete fetching[n];reject(new Error("opsroom: could not load "+n))};document.head.appendChild(s)}))}
function closure(n,seen){if(seen.indexOf(n)<0){seen.push(n);(graph[n]||[]).forEach(function(d){closure(d,seen)})}return seen}
window.${LOADER}={
define:function(n,body){bodies[n]=body},
start:function(n){req(n)},
load:function(spec){var n=name(spec);return Promise.all(closure(n,[]).map(fetchChunk)).then(function(){return req(n)})}
};})();
`;
}
