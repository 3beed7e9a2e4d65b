-- wrk script: requests prepared in init() and sent round-robin, each thread from its own offset.
--   wrk ... -s bench/lua/rotate.lua URL -- TOKEN_FILE     one token per line (a secret file of bench/run)
--   wrk ... -s bench/lua/rotate.lua URL -- random:N       N random strings, most not even token-shaped
-- Every request of a run costs wrk the same (a table lookup), whatever the list holds, so runs
-- with one token and with 10 000 are comparable. Nothing here prints a token.

local threads = 0

function setup(thread)
  thread:set("id", threads)
  threads = threads + 1
end

local alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-._~+/"

local function random_string(n)
  local chars = {}
  for i = 1, n do
    local k = math.random(1, #alphabet)
    chars[i] = alphabet:sub(k, k)
  end
  return table.concat(chars)
end

function init(args)
  local values = {}
  local source = args[1]
  if source:sub(1, 7) == "random:" then
    math.randomseed(os.time() * 1000 + (id or 0))
    for i = 1, tonumber(source:sub(8)) do
      local s = random_string(math.random(1, 64))
      if i % 4 == 0 then s = "gat_" .. s end -- some with the prefix, none of the right shape but by chance
      values[i] = s
    end
  else
    for line in io.lines(source) do
      if #line > 0 then values[#values + 1] = line end
    end
  end
  assert(#values > 0, "no tokens in " .. source)
  requests_list = {}
  for i, v in ipairs(values) do
    requests_list[i] = wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. v })
  end
  count = #requests_list
  index = ((id or 0) * 7919) % count
end

function request()
  index = index % count + 1
  return requests_list[index]
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK requests=%d duration_us=%d rps=%.2f p50_us=%d p90_us=%d p99_us=%d max_us=%d mean_us=%.1f status_errors=%d socket_errors=%d\n",
    summary.requests, summary.duration, summary.requests / summary.duration * 1e6,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.max, latency.mean,
    e.status, e.connect + e.read + e.write + e.timeout))
end
