// A light open-loop load generator for bench/cases/serve.ts: `node load.mjs <url> <body>
// <rate> <seconds> <connections>` sends POSTs at a fixed rate over keep-alive connections
// (node:http Agent) and prints JSON latency percentiles, in ms, measured from when each
// request was written to its connection. Lighter than autocannon, so less of the 2-core machine goes to
// the client; a request that waits for a free connection counts from its planned time
// (`from_schedule`), so a stalled server is not hidden (coordinated omission).
import { Buffer } from 'node:buffer';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';
import { URL } from 'node:url';

const [url, body, rate = '1000', seconds = '10', connections = '4'] = process.argv.slice(2);
const target = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: Number(connections) });
const total = Number(rate) * Number(seconds);
const latency = new Float64Array(total);
const fromSchedule = new Float64Array(total);
let sent = 0;
let done = 0;
let errors = 0;
let non2xx = 0;
const t0 = performance.now();

function send(i) {
  const planned = t0 + (i * 1000) / Number(rate);
  let sentAt = planned;
  const req = http.request(
    {
      host: target.hostname,
      port: target.port,
      path: target.pathname,
      method: 'POST',
      agent,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
    },
    (res) => {
      res.resume();
      res.on('end', () => {
        const now = performance.now();
        if (res.statusCode < 200 || res.statusCode > 299) non2xx++;
        latency[i] = now - sentAt;
        fromSchedule[i] = now - planned;
        done++;
      });
    },
  );
  // from the moment the request is on the socket (it may wait for a free connection)
  req.on('finish', () => (sentAt = performance.now()));
  req.on('error', () => {
    errors++;
    done++;
  });
  req.end(body);
}

await new Promise((resolve) => {
  const tick = () => {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * Number(rate)) / 1000));
    while (sent < due) send(sent++);
    if (sent < total) setTimeout(tick, 1);
    else {
      const wait = () => (done < total ? setTimeout(wait, 5) : resolve());
      wait();
    }
  };
  tick();
});
const seconds_taken = (performance.now() - t0) / 1000;
const pct = (a, p) => {
  const s = Float64Array.from(a).sort();
  return Math.round(s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))] * 1000) / 1000;
};
console.log(
  JSON.stringify({
    requests: total,
    errors,
    non2xx,
    rate: Math.round(total / seconds_taken),
    latency_ms: {
      p50: pct(latency, 50),
      p95: pct(latency, 95),
      p99: pct(latency, 99),
      max: pct(latency, 100),
    },
    from_schedule_ms: { p50: pct(fromSchedule, 50), p99: pct(fromSchedule, 99) },
  }),
);
agent.destroy();
