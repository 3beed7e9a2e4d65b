-- wrk script: one request, built once by wrk, carrying the token read from a file.
--   wrk ... -s bench/lua/static.lua URL -- TOKEN_FILE
-- The token never appears on a command line (ps shows those) nor in any output.

function init(args)
  local file = assert(io.open(args[1], "r"), "cannot read the token file")
  local token = file:read("*l")
  file:close()
  wrk.headers["Authorization"] = "Bearer " .. token
end

-- One machine-readable line for bench/run; latency values are microseconds.
function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d rps=%.2f p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / summary.duration * 1e6,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.status, e.connect + e.read + e.write + e.timeout))
end
