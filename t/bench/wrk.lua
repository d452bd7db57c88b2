-- wrk.lua: one script for every benchmarked route, chosen by BENCH_ROUTE.
-- Each request picks one of the bench users' tokens (BENCH_TOKENS, one per
-- line) so that concurrent connections act for different people, as in
-- production. done() prints one machine-readable RESULT line.

local route = os.getenv("BENCH_ROUTE") or "health"
local tokens = {}
local n = 0
local threads = 0
local queue = {}   -- complete: sessions started and not yet completed
local paused = {}  -- pause: what we last asked of each token

local users = {}    -- the person of each token, by user id (BENCH_USERS)
local made = {}     -- batch: the sessions each token's last batch created
local made_n = {}   -- batch: sessions each token created in this run
local run_start = os.time()

local function load_lines(path, into)
  local f = io.open(path or "", "r")
  if f then
    for line in f:lines() do into[#into + 1] = line end
    f:close()
  end
end

-- each thread takes its own slice of the tokens, in turn: no two
-- requests in flight act for the same person (so pause and resume
-- alternate cleanly), and every person is used evenly
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
  thread:set("nthreads", 2)
end

function init(args)
  load_lines(os.getenv("BENCH_TOKENS"), tokens)
  load_lines(os.getenv("BENCH_USERS"), users)
  n = 0
end

local function auth(t)
  return { ["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json" }
end

local function pick()
  local i = (n * nthreads + tid) % #tokens + 1
  n = n + 1
  return tokens[i], i
end

local reads = {
  health = "/api/health", active = "/api/focus/active", list = "/api/focus?page=1&page_size=20",
  stats = "/api/focus/stats?period=month", libraries = "/api/focus/libraries",
  settings = "/api/focus/settings",
  -- the last year in daily buckets, which holds every seeded session
  -- (t/bench/run sets the dates), and progress with its streak over the
  -- whole history
  series = "/api/focus/series?group=day&from=" .. (os.getenv("BENCH_SERIES_FROM") or "2026-01-01") ..
    "&to=" .. (os.getenv("BENCH_SERIES_TO") or "2026-12-31"),
  progress = "/api/focus/progress",
  floor_static = "/floor/static", floor_select = "/floor/select", floor_insert = "/floor/insert",
  floor_auth = "/floor/auth", floor_page = "/floor/page", floor_period = "/floor/period",
  floor_start = "/floor/start",
}

function request()
  local path = reads[route]
  if path then
    -- the data floors act for the same people as the routes they bound
    if route == "floor_page" or route == "floor_period" or route == "floor_start" then
      local _, i = pick()
      return wrk.format("GET", path .. "?u=" .. users[i])
    end
    if route == "health" or route:sub(1, 5) == "floor" then
      return wrk.format("GET", path)
    end
    return wrk.format("GET", path, auth(pick()))
  end
  if route == "start" then
    return wrk.format("POST", "/api/focus", auth(pick()), '{"mode":"focus","duration_seconds":1500}')
  end
  -- next: complete the open session early and start the cycle's next phase
  if route == "next" then
    return wrk.format("POST", "/api/focus/next", auth(pick()), "")
  end
  if route == "pause" then
    local t = pick()
    local op = paused[t] and "DELETE" or "POST"
    paused[t] = not paused[t]
    return wrk.format(op, "/api/focus/pause", auth(t))
  end
  if route == "complete" then
    local item = table.remove(queue)
    if item then
      return wrk.format("POST", "/api/focus/" .. item.id .. "/complete", auth(item.token), "")
    end
    -- the task title carries the token's index, so response() knows
    -- whose session it is (never the token itself)
    local t, i = pick()
    return wrk.format("POST", "/api/focus", auth(t), '{"mode":"focus","duration_seconds":60,"task_title":"bench ' .. i .. '"}')
  end
  -- batch: 100 items of a mix, all applied: 25 updates and 25 deletes of
  -- the sessions this token's previous batch created, and creates for the
  -- rest (all 100 in a token's first batch). The manual sessions are 1 s
  -- long, one after the other, in a window of 3000 s of this run's own:
  -- one of 90 windows (by the second the run started) between 3.5 days
  -- and 8 hours ago, inside the seeded people's empty span between their
  -- newest session (ended before seeding) and the one before (3.65 days
  -- earlier), so a later round's creates never meet an earlier round's
  if route == "batch" then
    local t, i = pick()
    local items, prev = {}, made[i] or {}
    for k = 1, math.min(25, #prev) do
      items[#items + 1] = '{"action":"update","id":"' .. prev[k] .. '","task_title":"edited ' .. k .. '"}'
    end
    for k = 26, math.min(50, #prev) do
      items[#items + 1] = '{"action":"delete","id":"' .. prev[k] .. '"}'
    end
    while #items < 100 do
      made_n[i] = (made_n[i] or 0) + 1
      local at = run_start - 302400 + (run_start % 90) * 3000 + made_n[i]
      items[#items + 1] = '{"action":"create","mode":"focus","started_at":"' ..
        os.date("!%Y-%m-%dT%H:%M:%SZ", at) .. '","duration_seconds":1,"task_title":"bench ' .. i .. '"}'
    end
    return wrk.format("POST", "/api/focus/batch", auth(t), '{"updates":[' .. table.concat(items, ",") .. ']}')
  end
  return wrk.format("GET", "/api/health")
end

function response(status, headers, body)
  if route == "batch" and status == 200 then
    local ids, i = {}, nil
    for id in body:gmatch('"id":"([0-9a-f%-]+)","action":"create"') do ids[#ids + 1] = id end
    i = tonumber(body:match('"task_title":"bench (%d+)"') or "")
    if i then made[i] = ids end
  end
  if route == "complete" and status == 200 then
    local id = body:match('"id": ?"([0-9a-f%-]+)".-"status": ?"active"')
    local i = tonumber(body:match('"task_title": ?"bench (%d+)"') or "")
    if id and i then queue[#queue + 1] = { id = id, token = tokens[i] } end
  end
end

function done(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT %s %.1f %d %d %d %d\n", route, summary.requests / secs,
    latency:percentile(50), latency:percentile(99), summary.errors.status, summary.requests))
end
