// v8runner.mjs: runs Wasm exports in V8 for gcscope's benchmarks
// (bench/v8_test.go). It needs Node.js 24 (final Wasm GC encoding).
//
// It reads one JSON command per line on stdin and answers one JSON line
// on stdout:
//   {"op":"load","name":N,"path":P,"export":E,"want":"123"}
//       instantiates the module at P (no imports), calls export E once and
//       checks its result against want (a decimal string; i64 results are
//       BigInts); answers {"ok":true}
//   {"op":"run","name":N,"n":K}
//       calls N's export K times, checking every result, and answers
//       {"cpu_ns":C,"wall_ns":W}: C is the process's CPU time (user+system,
//       all threads, so V8's concurrent GC and compiler threads count),
//       W the elapsed wall time
//   {"op":"repeat","name":N,"export":E,"n":K,"want":"123"}
//       calls N's export E once with K (a loop in the module that calls
//       main K times), checks its result against want and answers as run
// Errors answer {"error":"..."}. Timing batches, warm-up and rounds are
// the Go side's job: V8 compiles with Liftoff first and tiers hot functions
// up to TurboFan, so the first batches are slower than steady state.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';

const programs = new Map();

function cpuNs() {
  const u = process.cpuUsage();
  return (u.user + u.system) * 1000;
}

async function load(cmd) {
  const { instance } = await WebAssembly.instantiate(readFileSync(cmd.path), {});
  const fn = instance.exports[cmd.export];
  if (typeof fn !== 'function') {
    throw new Error(`no exported function ${cmd.export}`);
  }
  const first = fn();
  const want = typeof first === 'bigint' ? BigInt(cmd.want) : Number(cmd.want);
  if (first !== want) {
    throw new Error(`${cmd.export}() = ${first}, want ${cmd.want}`);
  }
  programs.set(cmd.name, { fn, want, instance });
  return { ok: true };
}

function run(cmd) {
  const p = programs.get(cmd.name);
  if (!p) {
    throw new Error(`${cmd.name} is not loaded`);
  }
  const { fn, want } = p;
  const c0 = cpuNs();
  const w0 = process.hrtime.bigint();
  for (let i = 0; i < cmd.n; i++) {
    const got = fn();
    if (got !== want) {
      throw new Error(`call ${i}: got ${got}, want ${want}`);
    }
  }
  const w1 = process.hrtime.bigint();
  const c1 = cpuNs();
  return { cpu_ns: c1 - c0, wall_ns: Number(w1 - w0) };
}

function repeat(cmd) {
  const p = programs.get(cmd.name);
  if (!p) {
    throw new Error(`${cmd.name} is not loaded`);
  }
  const fn = p.instance.exports[cmd.export];
  if (typeof fn !== 'function') {
    throw new Error(`no exported function ${cmd.export}`);
  }
  const c0 = cpuNs();
  const w0 = process.hrtime.bigint();
  const got = fn(cmd.n);
  const w1 = process.hrtime.bigint();
  const c1 = cpuNs();
  const want = typeof got === 'bigint' ? BigInt(cmd.want) : Number(cmd.want);
  if (got !== want) {
    throw new Error(`${cmd.export}(${cmd.n}) = ${got}, want ${cmd.want}`);
  }
  return { cpu_ns: c1 - c0, wall_ns: Number(w1 - w0) };
}

for await (const line of createInterface({ input: process.stdin })) {
  let reply;
  try {
    const cmd = JSON.parse(line);
    switch (cmd.op) {
      case 'load': reply = await load(cmd); break;
      case 'run': reply = run(cmd); break;
      case 'repeat': reply = repeat(cmd); break;
      default: throw new Error(`unknown op ${cmd.op}`);
    }
  } catch (e) {
    reply = { error: String(e && e.message || e) };
  }
  process.stdout.write(JSON.stringify(reply) + '\n');
}
