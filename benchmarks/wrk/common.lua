-- Shared by every benchmark run: production is reached through a TLS proxy,
-- so requests say they came over HTTPS; staff runs add the session cookie.
-- At the end, one line of JSON with the figures the report needs.
wrk.headers["X-Forwarded-Proto"] = "https"
wrk.headers["Accept-Language"] = "zh-hans"
-- As every browser does; Django compresses nothing itself, the public page
-- cache sends its compressed copy of pages without a form.
wrk.headers["Accept-Encoding"] = "gzip, deflate, br"
local cookie = os.getenv("BENCH_COOKIE")
if cookie and cookie ~= "" then
  wrk.headers["Cookie"] = cookie
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH_JSON {"requests": %d, "duration_us": %d, "p50_us": %d, "p90_us": %d, "p99_us": %d, ' ..
    '"max_us": %d, "errors_connect": %d, "errors_read": %d, "errors_write": %d, "errors_status": %d, ' ..
    '"errors_timeout": %d, "bytes": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, e.connect, e.read, e.write, e.status, e.timeout, summary.bytes))
end
