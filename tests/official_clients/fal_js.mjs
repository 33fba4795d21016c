// Runs the official @fal-ai/client (pinned in package.json) against clipbench's simulator.
//
// Usage: node fal_js.mjs http://127.0.0.1:PORT
//
// The only change from production use is where requests go: the client's own documented
// `requestMiddleware` (and, separately, its `proxyUrl` mode) sends the hard-coded
// https://queue.fal.run URLs to the simulator instead. Everything else is the library's own code.
import assert from "node:assert/strict";
import { ApiError, ValidationError, createFalClient, fal } from "@fal-ai/client";

const BASE = (process.argv[2] ?? process.env.SIM_BASE_URL ?? "").replace(/\/$/, "");
if (!BASE.startsWith("http")) {
  console.error("usage: node fal_js.mjs http://127.0.0.1:PORT");
  process.exit(2);
}
const CREDENTIALS = "sim-key-id:sim-key-secret";
const RAY = "fal-ai/luma-dream-machine/ray-2-flash";
const WAN = "fal-ai/wan-25-preview/text-to-video";
const RAY_INPUT = {
  prompt: "a paper boat drifting down a rain-soaked street",
  duration: "5s",
  aspect_ratio: "9:16",
  resolution: "720p",
};
const WAN_INPUT = { prompt: "a lighthouse at dusk, waves below", duration: "5" };

// Every URL the client asked for (before the middleware rewrote it), to prove the routing rules.
const seen = [];
fal.config({
  credentials: CREDENTIALS,
  requestMiddleware: async (req) => {
    seen.push(`${req.method} ${req.url}`);
    return { ...req, url: req.url.replace("https://queue.fal.run", BASE) };
  },
});

// A second client in proxy mode: every request goes to /fal/proxy with x-fal-target-url.
const proxied = createFalClient({
  credentials: CREDENTIALS,
  proxyUrl: { url: `${BASE}/fal/proxy`, when: "always" },
});

const results = [];
async function check(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push([name, true]);
    console.log(`ok   ${name} (${Date.now() - started} ms)`);
  } catch (err) {
    results.push([name, false]);
    console.log(`FAIL ${name}: ${err?.stack ?? err}`);
    if (err?.body) console.log(`     body: ${JSON.stringify(err.body)}`);
  }
}

function assertVideo(data, requestId) {
  assert.equal(typeof data?.video?.url, "string", "result has video.url");
  assert.ok(data.video.url.startsWith(`${BASE}/`), `clip URL on the simulator: ${data.video.url}`);
  assert.equal(data.video.content_type, "video/mp4");
  assert.ok(requestId, "requestId taken from x-fal-request-id");
}

async function fetchClip(url) {
  // Clips are fetched with a plain GET and no credentials (protocols.md, decisions).
  const res = await fetch(url);
  assert.equal(res.status, 200, `clip GET ${url}`);
  const bytes = new Uint8Array(await res.arrayBuffer());
  // An MP4 starts with a box whose type is `ftyp`.
  assert.equal(new TextDecoder().decode(bytes.slice(4, 8)), "ftyp", "clip is an MP4");
}

async function waitCompleted(client, endpoint, requestId, logs = true) {
  for (let i = 0; i < 200; i++) {
    const st = await client.queue.status(endpoint, { requestId, logs });
    if (st.status === "COMPLETED") return st;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("request never completed");
}

await check("queue.submit -> status(logs) -> result (ray-2-flash)", async () => {
  const sub = await fal.queue.submit(RAY, { input: RAY_INPUT });
  assert.equal(sub.status, "IN_QUEUE");
  assert.ok(sub.request_id);
  assert.equal(typeof sub.queue_position, "number");
  // status/result/cancel URLs use owner/app only (protocols.md §1.2).
  assert.equal(sub.status_url, `${BASE}/fal-ai/luma-dream-machine/requests/${sub.request_id}/status`);
  const id = sub.request_id;
  const statuses = new Set();
  let final;
  for (let i = 0; i < 200; i++) {
    const st = await fal.queue.status(RAY, { requestId: id, logs: true });
    statuses.add(st.status);
    assert.equal(st.request_id, id);
    if (st.status === "IN_QUEUE") assert.equal(typeof st.queue_position, "number");
    if (st.status === "IN_PROGRESS") assert.ok(Array.isArray(st.logs), "IN_PROGRESS carries logs");
    if (st.status === "COMPLETED") {
      final = st;
      break;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  assert.ok(final, "reached COMPLETED");
  assert.equal(final.error, undefined);
  assert.ok(Array.isArray(final.logs) && final.logs.length > 0, "logs=1 returns the log lines");
  for (const line of final.logs) {
    assert.equal(typeof line.message, "string");
    assert.ok(["INFO", "WARN", "ERROR", "DEBUG", "STDOUT", "STDERR"].includes(line.level));
    assert.ok(!Number.isNaN(Date.parse(line.timestamp)), "log timestamp parses");
  }
  assert.equal(typeof final.metrics?.inference_time, "number");
  assert.ok(statuses.has("IN_PROGRESS") || statuses.has("IN_QUEUE"), "saw a non-final status");
  const { data, requestId } = await fal.queue.result(RAY, { requestId: id });
  assert.equal(requestId, id);
  assertVideo(data, requestId);
  await fetchClip(data.video.url);
  assert.ok(seen.includes(`POST https://queue.fal.run/${RAY}`), "submit on the full endpoint id");
  assert.ok(
    seen.includes(`GET https://queue.fal.run/fal-ai/luma-dream-machine/requests/${id}/status?logs=1`),
    "status on owner/app with logs=1",
  );
});

await check("subscribe (polling, onQueueUpdate, logs) (wan-25 t2v)", async () => {
  const updates = [];
  let enqueued;
  const { data, requestId } = await fal.subscribe(WAN, {
    input: WAN_INPUT,
    logs: true,
    pollInterval: 50,
    onEnqueue: (id) => (enqueued = id),
    onQueueUpdate: (u) => updates.push(u),
  });
  assert.equal(requestId, enqueued);
  assert.ok(updates.length >= 2, `several updates (${updates.length})`);
  assert.equal(updates.at(-1).status, "COMPLETED");
  assert.ok(updates.some((u) => Array.isArray(u.logs) && u.logs.length > 0), "logs in updates");
  assertVideo(data, requestId);
  assert.equal(data.video.duration, 5);
  assert.equal(typeof data.seed, "number");
  assert.equal(typeof data.actual_prompt, "string");
});

await check("subscribe (mode: streaming, SSE status) (ray-2-flash)", async () => {
  const updates = [];
  const { data, requestId } = await fal.subscribe(RAY, {
    input: RAY_INPUT,
    logs: true,
    mode: "streaming",
    onQueueUpdate: (u) => updates.push(u),
  });
  assert.ok(updates.length >= 1, "stream delivered updates");
  assert.equal(updates.at(-1).status, "COMPLETED");
  assert.ok(updates.at(-1).logs.length > 0, "accumulated logs");
  assertVideo(data, requestId);
});

await check("queue.streamStatus over SSE (async iterator + done)", async () => {
  const { request_id: id } = await fal.queue.submit(WAN, { input: WAN_INPUT });
  const stream = await fal.queue.streamStatus(WAN, { requestId: id, logs: true });
  const events = [];
  for await (const ev of stream) events.push(ev);
  const done = await stream.done();
  assert.ok(events.length >= 1);
  assert.equal(done.status, "COMPLETED");
  assert.equal(stream.requestId, id, "x-fal-request-id on the stream");
  const { data } = await fal.queue.result(WAN, { requestId: id });
  assertVideo(data, id);
});

await check("queue.cancel while queued -> COMPLETED with error; result rejects", async () => {
  const { request_id: id } = await fal.queue.submit(RAY, { input: RAY_INPUT });
  await fal.queue.cancel(RAY, { requestId: id }); // resolves on a 2xx
  const final = await waitCompleted(fal, RAY, id);
  assert.ok(final.error, "a cancelled request completes with an error");
  await assert.rejects(fal.queue.result(RAY, { requestId: id }), (err) => {
    assert.ok(err instanceof ApiError, "result of a cancelled request is an ApiError");
    assert.ok(err.status >= 400);
    return true;
  });
  // Cancelling again, once completed, is a 400 the client surfaces as ApiError.
  await assert.rejects(fal.queue.cancel(RAY, { requestId: id }), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 400);
    assert.equal(err.body?.status, "ALREADY_COMPLETED");
    return true;
  });
});

await check("bad duration -> ValidationError with field info", async () => {
  for (const [endpoint, input] of [
    [RAY, { ...RAY_INPUT, duration: "7s" }],
    [WAN, { ...WAN_INPUT, duration: "7" }],
  ]) {
    await assert.rejects(fal.queue.submit(endpoint, { input }), (err) => {
      assert.ok(err instanceof ValidationError, `ValidationError, got ${err?.name}`);
      assert.equal(err.status, 422);
      const fields = err.getFieldErrors("duration");
      assert.equal(fields.length, 1, JSON.stringify(err.body));
      assert.deepEqual(fields[0].loc, ["body", "duration"]);
      assert.equal(typeof fields[0].msg, "string");
      return true;
    });
  }
});

await check("wrong credentials -> ApiError 401", async () => {
  const anon = createFalClient({
    credentials: undefined,
    requestMiddleware: async (req) => ({ ...req, url: req.url.replace("https://queue.fal.run", BASE) }),
  });
  await assert.rejects(anon.queue.submit(RAY, { input: RAY_INPUT }), (err) => {
    assert.ok(err instanceof ApiError);
    assert.equal(err.status, 401);
    return true;
  });
});

await check("proxyUrl mode (x-fal-target-url): subscribe + status + result", async () => {
  const { data, requestId } = await proxied.subscribe(WAN, {
    input: WAN_INPUT,
    logs: true,
    pollInterval: 50,
  });
  assertVideo(data, requestId);
  const st = await proxied.queue.status(WAN, { requestId, logs: true });
  assert.equal(st.status, "COMPLETED");
  const again = await proxied.queue.result(WAN, { requestId });
  assert.deepEqual(again.data, data);
  await assert.rejects(
    proxied.queue.submit(WAN, { input: { ...WAN_INPUT, duration: "7" } }),
    (err) => err instanceof ValidationError && err.getFieldErrors("duration").length === 1,
  );
});

const failed = results.filter(([, ok]) => !ok).length;
console.log(`js: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
