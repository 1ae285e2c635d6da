-- wrk script for `make bench`: each request asks for a random path from the file named by the
-- BENCH_URLS environment variable (one path a line), with Accept-Encoding: gzip as browsers and
-- crawlers send it. done() prints one line, "BENCH {json}", that bench/run.py reads; "errors" is
-- wrk's own count of responses with a status of 400 or more.
--
-- A script that defines response() makes wrk copy every response's body into a Lua string: on the
-- bench's two shared CPUs that cost the client 0.2-0.4 ms per 300 KB response, charged to the page
-- (the calendar measured 0.52-0.60x /ping with it, 0.66-0.69x without, same server and run). So
-- response() is defined only with BENCH_STATUSES set, when bench/run.py asks which statuses failed.

local paths = {}
local threads = {}
local counter = 0
local by_status = os.getenv("BENCH_STATUSES") ~= nil

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

if by_status then
  local statuses = {}

  function response(status, headers, body)
    if status < 200 or status > 399 then
      statuses[status] = (statuses[status] or 0) + 1
      local listed = {}
      for code, count in pairs(statuses) do
        listed[#listed + 1] = code .. "x" .. count
      end
      bad_statuses = table.concat(listed, " ")  -- a global: done() reads it from each thread
    end
  end
end

function done(summary, latency, requests)
  local listed = {}
  for _, thread in ipairs(threads) do
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
    summary.errors.status, table.concat(listed, " ")
  ))
end
