-- wrk script for scripts/load.sh: the request comes from the environment (LOAD_METHOD,
-- LOAD_BODY as JSON, LOAD_COOKIE, LOAD_AUTH); the summary line gives p50/p95/p99 and errors,
-- which wrk's own report lacks (no p95, no split of errors).
wrk.method = os.getenv("LOAD_METHOD") or "GET"
local body = os.getenv("LOAD_BODY")
if body and body ~= "" then
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end
local cookie = os.getenv("LOAD_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end
local auth = os.getenv("LOAD_AUTH")
if auth and auth ~= "" then
  wrk.headers["Authorization"] = auth
end

done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "SUMMARY rps=%.0f p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f requests=%d socket_errors=%d non_2xx=%d\n",
    summary.requests / (summary.duration / 1e6),
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    summary.requests, e.connect + e.read + e.write + e.timeout, e.status))
end
