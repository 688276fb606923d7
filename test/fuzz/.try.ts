import { runFuzz } from '/work/wt/llm/test/fuzz/harness.ts';
const r = await runFuzz({ runs: Number(process.argv[2] ?? 60), seed: Number(process.env.SEED ?? 1), lanes: Number(process.env.LANES ?? 2) });
console.log(JSON.stringify({ runs: r.runs, ms: r.ms, inProcess: r.inProcess, binary: r.binary, byExit: r.byExit, cmds: Object.keys(r.byCommand).length }));
const seen = new Set();
for (const f of r.findings) { const k = f.rule + f.detail.slice(0, 60); if (seen.has(k)) continue; seen.add(k); console.log(f.rule, '|', f.detail.slice(0, 250), '\n   ', f.repro.slice(0, 300)); }
console.log('findings', r.findings.length);
