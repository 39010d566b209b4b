/**
 * Engine benchmark: index build time and memory, p50/p99 answer latency, on the shipped content and
 * on a generated corpus of 20,000 sections (ko/zh/en) written to a temp dir and loaded like real content.
 * Prints numbers; asserts nothing. Targets (issue): p99 ≤ 2 ms shipped, ≤ 20 ms at 20k; 20k indexed in ≤ 10 s.
 */
import { readFileSync, mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKnowledgeBase, createEngine, LANGS, type KnowledgeBase } from '../../src/engine/index.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const questions = LANGS.flatMap((l) => (JSON.parse(readFileSync(`${root}test/eval/dev.${l}.json`, 'utf8')) as Array<{ q: string }>).map((c) => c.q));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

function measure(label: string, load: () => KnowledgeBase): void {
  global.gc?.();
  const heap0 = process.memoryUsage().heapUsed;
  const t0 = performance.now();
  const kb = load();
  const t1 = performance.now();
  const engine = createEngine(kb);
  const t2 = performance.now();
  global.gc?.();
  const heap = (process.memoryUsage().heapUsed - heap0) / 1024 / 1024;
  // The first round meets every question once: the per-term search memo starts cold, as for
  // questions never seen (it still fills with the words questions share).
  const first: number[] = [];
  for (const q of questions) {
    const s = performance.now();
    engine.ask(q);
    first.push(performance.now() - s);
  }
  first.sort((a, b) => a - b);
  // Rounds 1-5 ("repeated") still run while V8 optimizes the engine's functions (its compiles and
  // deoptimizations land on the main thread as multi-millisecond asks); rounds 6-10 ("warm") are a
  // server that has answered a few thousand questions. Both are printed.
  const rounds = (n: number): number[] => {
    const times: number[] = [];
    for (let round = 0; round < n; round++) {
      for (const q of questions) {
        const s = performance.now();
        engine.ask(q);
        times.push(performance.now() - s);
      }
    }
    return times.sort((a, b) => a - b);
  };
  const times = rounds(5);
  const warm = rounds(5);
  console.log(
    `${label.padEnd(28)} sections ${String(kb.sections.length).padStart(6)}  load+parse ${(t1 - t0).toFixed(0).padStart(5)} ms  index ${(t2 - t1).toFixed(0).padStart(5)} ms  heap ${heap.toFixed(0).padStart(4)} MB  ` +
      `first round p50 ${percentile(first, 50).toFixed(2)} ms  p99 ${percentile(first, 99).toFixed(2)} ms  ` +
      `repeated p50 ${percentile(times, 50).toFixed(2)} ms  p99 ${percentile(times, 99).toFixed(2)} ms  ` +
      `warm p50 ${percentile(warm, 50).toFixed(2)} ms  p99 ${percentile(warm, 99).toFixed(2)} ms  (${first.length} + ${times.length} + ${warm.length} asks)`,
  );
}

/** Writes a synthetic knowledge base of `total` sections: sentences of the real content, reshuffled. */
function generateCorpus(total: number): string {
  const { kb } = loadKnowledgeBase(`${root}content`);
  const pool = Object.fromEntries(
    LANGS.map((l) => [l, kb.sections.filter((s) => s.lang === l).flatMap((s) => [...s.paragraphs, ...s.steps.map((x) => x.text)])]),
  );
  const dir = mkdtempSync(join(tmpdir(), 'stepwise-bench-'));
  const perLang = Math.floor(total / LANGS.length);
  const perDoc = 200;
  const topics: string[] = [];
  let seed = 42;
  const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
  for (const lang of LANGS) {
    mkdirSync(join(dir, lang));
    for (let d = 0; d * perDoc < perLang; d++) {
      let md = `---\ntitle: Generated ${d}\ndoc: gen-${d}\nlang: ${lang}\nsource: https://example.invalid/${d}\nlicense: CC BY 4.0\nattribution: generated\narea: bench\n---\n`;
      for (let s = 0; s < perDoc && d * perDoc + s < perLang; s++) {
        const id = `Gen${d}x${s}`;
        if (lang === 'en') topics.push(`  - id: ${id}\n    doc: gen-${d}\n    codes: [${id}]\n`);
        const para = () => pool[lang][rand(pool[lang].length)];
        md += `\n## ${id} ${para().slice(0, 30)} {#${id.toLowerCase()}}\n\n${para()}\n\n1. ${para()}\n2. ${para()}\n\n   \`\`\`bash\n   az ml online-deployment get-logs -n ${id}\n   \`\`\`\n`;
      }
      writeFileSync(join(dir, lang, `gen-${d}.md`), md);
    }
  }
  writeFileSync(join(dir, 'catalog.yaml'), `topics:\n${topics.join('')}`);
  return dir;
}

measure('shipped content', () => loadKnowledgeBase(`${root}content`).kb);
const dir = generateCorpus(20_000);
try {
  measure('generated 20,000 sections', () => loadKnowledgeBase(dir).kb);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
