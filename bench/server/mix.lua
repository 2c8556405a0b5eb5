-- wrk script: sends the bearer token in TOKEN (default demo-admin), counts answers by status (a 503 with
-- Retry-After separately), and prints at the end lines that bench/server/load-mix.sh reads:
--   status <code>[+retry-after] <count>, p50_ms, p99_ms, max_ms, requests, errors_<kind>
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  wrk.headers["Authorization"] = "Bearer " .. (os.getenv("TOKEN") or "demo-admin")
  counts = {}
end

function response(status, hdrs, body)
  local key = tostring(status)
  if status == 503 and (hdrs["Retry-After"] or hdrs["retry-after"]) then
    key = key .. "+retry-after"
  end
  counts[key] = (counts[key] or 0) + 1
end

function done(summary, latency, requests)
  local total = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("counts")) do
      total[k] = (total[k] or 0) + v
    end
  end
  for k, v in pairs(total) do
    io.write(string.format("status %s %d\n", k, v))
  end
  io.write(string.format("p50_ms %.2f\np99_ms %.2f\nmax_ms %.2f\n", latency:percentile(50) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000))
  io.write(string.format("requests %d\nerrors_connect %d\nerrors_read %d\nerrors_write %d\nerrors_timeout %d\n",
    summary.requests, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.timeout))
end
