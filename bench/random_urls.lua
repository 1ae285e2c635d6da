-- wrk script for `make bench`: each request asks for a random path from the file named by the
-- BENCH_URLS environment variable (one path a line), with Accept-Encoding: gzip as browsers and
-- crawlers send it, and responses that are not 2xx or 3xx are
-- counted by status. done() prints one line, "BENCH {json}", that bench/run.py reads.

local paths = {}
bad = 0  -- globals: done() reads them from each thread
local statuses = {}
local threads = {}
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end

function init(args)
  for line in io.lines(os.getenv("BENCH_URLS")) do
    if line ~= "" then
      paths[#paths + 1] = line
    end
  end
  math.randomseed(os.time() * 100 + id)
end

-- As browsers and crawlers do, every request accepts gzip.
local headers = { ["Accept-Encoding"] = "gzip" }

function request()
  return wrk.format(nil, paths[math.random(#paths)], headers)
end

function response(status, headers, body)
  if status < 200 or status > 399 then
    bad = bad + 1
    statuses[status] = (statuses[status] or 0) + 1
    local listed = {}
    for code, count in pairs(statuses) do
      listed[#listed + 1] = code .. "x" .. count
    end
    bad_statuses = table.concat(listed, " ")
  end
end

function done(summary, latency, requests)
  local errors, listed = 0, {}
  for _, thread in ipairs(threads) do
    errors = errors + thread:get("bad")
    local seen = thread:get("bad_statuses")
    if seen then
      listed[#listed + 1] = seen
    end
  end
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "p50_us": %d, "p99_us": %d, "timeouts": %d, ' ..
    '"socket_errors": %d, "errors": %d, "statuses": "%s"}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    summary.errors.timeout, summary.errors.connect + summary.errors.read + summary.errors.write,
    errors, table.concat(listed, " ")
  ))
end
