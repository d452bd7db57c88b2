-- wrk.lua: one script for every benchmarked route, chosen by BENCH_ROUTE.
-- Each request picks one of the bench users' tokens (BENCH_TOKENS, one per
-- line) so that concurrent connections act for different people, as in
-- production. done() prints one machine-readable RESULT line.

local route = os.getenv("BENCH_ROUTE") or "health"
local tokens = {}
local n = 0
local run_stamp = 0  -- this run's clock, set in init: sign-up names differ from run to run
local threads = 0
local queue = {}   -- complete: sessions started and not yet completed
local paused = {}  -- pause: what we last asked of each token

local users = {}    -- the person of each token, by user id (BENCH_USERS)
local made = {}     -- batch: the sessions each token's last batch created
local made_n = {}   -- batch: sessions each token created in this run
local run_start = os.time()
local index_of = {} -- a token's index by its person's user id, or by its name (login)
local libs = {}     -- a library of each token's person (BENCH_LIBS, line i for token i)
local state = {}    -- cycles: the next step of each token, by index
local data = {}     -- cycles: what a token's last answer left for its next step
-- the Origin a cookie-authenticated write must carry (the service's own)
local origin = os.getenv("BENCH_ORIGIN") or ""

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
  run_stamp = os.time()
  load_lines(os.getenv("BENCH_TOKENS"), tokens)
  load_lines(os.getenv("BENCH_USERS"), users)
  load_lines(os.getenv("BENCH_LIBS"), libs)
  for i, u in ipairs(users) do index_of[u] = i end
  for i, t in ipairs(tokens) do index_of[t] = index_of[t] or i end
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
  settings = "/api/focus/settings", me = "/api/auth/me", pause_get = "/api/focus/pause",
  stats_alias = "/api/focus?stats=true&period=month",
  -- the last year in daily buckets, which holds every seeded session
  -- (t/bench/run sets the dates), and progress with its streak over the
  -- whole history
  series = "/api/focus/series?group=day&from=" .. (os.getenv("BENCH_SERIES_FROM") or "2026-01-01") ..
    "&to=" .. (os.getenv("BENCH_SERIES_TO") or "2026-12-31"),
  progress = "/api/focus/progress",
  -- the person's whole history as CSV, streamed
  export = "/api/focus/export?format=csv",
  floor_static = "/floor/static", floor_select = "/floor/select", floor_insert = "/floor/insert",
  floor_auth = "/floor/auth", floor_page = "/floor/page", floor_period = "/floor/period",
  floor_start = "/floor/start", floor_argon2 = "/floor/argon2",
}

-- Cycles: a route that uses up what it acts on runs as a cycle of steps
-- per token (a start then its complete, a create then its delete, a
-- login then its logout), so that it can run for any length of time; its
-- figures are those of the cycle's requests together. Each step builds
-- the request for token t (index i) from d, what the token's earlier
-- answers left (nil when a step needs something that has not come back
-- yet: the cycle starts over). back(body, headers) names the token a 2xx
-- answer belongs to, from what the request put in it (a title "bench <i>",
-- a name, a storage key under the person's id), and what to keep for the
-- next step. Each thread owns its tokens, so a token's steps never overlap
-- unless an answer takes longer than a whole turn of the thread's tokens.
-- A queued cycle (two steps) sends its second step for the first answer
-- waiting, before anything else: start and finish alternate from the
-- first answer on, whatever the turn of the tokens (a login's hash makes
-- a turn of logins alone take seconds).
local waiting = {}  -- queued cycles: answers waiting for their second step, oldest first
local json = { ["Content-Type"] = "application/json" }
local audio = string.rep("\255", 1024)   -- the bytes of a 1 KiB upload

local function post(path, t, body) return wrk.format("POST", path, auth(t), body or "") end

local function start_step(t, i)
  return post("/api/focus", t, '{"mode":"focus","duration_seconds":60,"task_title":"bench ' .. i .. '"}')
end

local function session_back(body)
  local id = body:match('"id": ?"([0-9a-f%-]+)".-"status": ?"active"')
  local i = tonumber(body:match('"task_title": ?"bench (%d+)"') or "")
  if id and i then return i, { id = id } end
end

local function titled_back(field)
  return function(body)
    local id = body:match('"id": ?"([0-9a-f%-]+)"')
    local i = tonumber(body:match('"' .. field .. '": ?"bench (%d+)"') or "")
    if id and i then return i, { id = id } end
  end
end

-- batch_close: the items of one batch that closes the open session d.id,
-- complete and abandon in turn (a person has one open session at a time;
-- batch, above, is the 100-item mix of history's corrections)
local batch_turn = 0
local function batch_items(d)
  batch_turn = batch_turn + 1
  local action = batch_turn % 2 == 0 and "complete" or "abandon"
  return '[{"id":"' .. d.id .. '","action":"' .. action .. '"}]'
end

local function login_step(t)
  return wrk.format("POST", "/api/auth/login", json,
    '{"name":"' .. t .. '","password":"' .. (os.getenv("BENCH_PASSWORD") or "") .. '"}')
end

local function login_back(body, headers)
  local cookie = (headers["Set-Cookie"] or headers["set-cookie"] or ""):match("session=([0-9a-f]+)")
  local i = index_of[body:match('"name": ?"([^"]+)"') or ""]
  if cookie and i then return i, { cookie = cookie } end
end

local function cookie_post(path)
  return function(t, i, d)
    if d and d.cookie then
      return wrk.format("POST", path, { ["Cookie"] = "session=" .. d.cookie,
        ["Origin"] = origin }, "")
    end
  end
end

local function upload_url_step(t, i)
  return post("/api/focus/libraries/" .. libs[i] .. "/tracks/upload-url", t,
    '{"filename":"bench.mp3","mime_type":"audio/mpeg","size_bytes":1024}')
end

local function upload_url_back(body)
  local url = body:match('"url": ?"https?://[^/]+(/[^"]+)"')
  local key = body:match('"storage_key": ?"([^"]+)"')
  local i = key and index_of[key:match("^([^/]+)/") or ""]
  if url and i then return i, { url = url:gsub("\\/", "/"), key = key } end
end

local function link_put_step(t, i, d)
  if d and d.url then
    return wrk.format("PUT", d.url, { ["Content-Type"] = "audio/mpeg", ["If-None-Match"] = "*" }, audio)
  end
end

local cycles = {
  abandon = { steps = { start_step, function(t, i, d)
    if d then return post("/api/focus/" .. d.id .. "/abandon", t) end end }, back = session_back },
  active_complete = { steps = { start_step, function(t, i, d)
    if d then return post("/api/focus/active/complete", t) end end }, back = session_back },
  active_abandon = { steps = { start_step, function(t, i, d)
    if d then return post("/api/focus/active/abandon", t) end end }, back = session_back },
  batch_close = { steps = { start_step, function(t, i, d)
    if d then return post("/api/focus/batch", t, '{"updates":' .. batch_items(d) .. '}') end end },
    back = session_back },
  settings_patch = { steps = {
    function(t) return wrk.format("PATCH", "/api/focus/settings", auth(t), '{"daily_goal":9}') end,
    function(t) return wrk.format("PATCH", "/api/focus/settings", auth(t), '{"daily_goal":8}') end } },
  password = { steps = {
    function(t) return post("/api/auth/password", t, '{"current_password":"bench-password-one","new_password":"bench-password-two"}') end,
    function(t) return post("/api/auth/password", t, '{"current_password":"bench-password-two","new_password":"bench-password-one"}') end } },
  login_logout = { steps = { login_step, cookie_post("/api/auth/logout") }, back = login_back, queued = true },
  login_logout_all = { steps = { login_step, cookie_post("/api/auth/logout-all") }, back = login_back, queued = true },
  -- logout: each token of a pool made for the run is used once
  logout = { steps = { function(t) return post("/api/auth/logout", t) end } },
  library_create_delete = { steps = {
    function(t, i) return post("/api/focus/libraries", t, '{"name":"bench ' .. i .. '"}') end,
    function(t, i, d) if d then return wrk.format("DELETE", "/api/focus/libraries/" .. d.id, auth(t)) end end },
    back = titled_back("name") },
  library_favorite = { steps = {
    function(t, i) return post("/api/focus/libraries/" .. libs[i] .. "/favorite", t) end } },
  upload_url = { steps = { upload_url_step } },
  upload_delete = { steps = {
    function(t, i)
      return wrk.format("PUT", "/api/focus/libraries/" .. libs[i] .. "/tracks/upload?track_title=bench%20" .. i,
        { ["Authorization"] = "Bearer " .. t, ["Content-Type"] = "audio/mpeg" }, audio)
    end,
    function(t, i, d)
      if d then return wrk.format("DELETE", "/api/focus/libraries/" .. libs[i] .. "/tracks/" .. d.id, auth(t)) end
    end }, back = titled_back("track_title") },
  storage_put = { steps = { upload_url_step, link_put_step }, back = upload_url_back },
  register = { steps = { upload_url_step, link_put_step, function(t, i, d)
    if d and d.key then
      return post("/api/focus/libraries/" .. libs[i] .. "/tracks", t,
        '{"track_title":"bench ' .. i .. '","storage_key":"' .. d.key .. '"}')
    end end }, back = upload_url_back },
  -- storage_get: the "tokens" are signed GET links of stored objects
  storage_get = { steps = { function(t) return wrk.format("GET", (t:gsub("^https?://[^/]+", ""))) end } },
}

local function cycle_request(c)
  local w = c.queued and table.remove(waiting, 1)
  if w then
    local req = c.steps[2](tokens[w.i], w.i, w.d)
    if req then return req end
  end
  local t, i = pick()
  if c.queued then return c.steps[1](t, i, nil) end
  local s = state[i] or 1
  if s == 1 then data[i] = nil end
  local req = c.steps[s](t, i, data[i])
  if not req then
    s, data[i] = 1, nil
    req = c.steps[1](t, i, nil)
  end
  state[i] = s % #c.steps + 1
  return req
end

function request()
  if cycles[route] then return cycle_request(cycles[route]) end
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
  -- a library's own reads, on a library of the token's person
  if route == "library_get" or route == "tracks_list" then
    local t, i = pick()
    return wrk.format("GET", "/api/focus/libraries/" .. libs[i] .. (route == "tracks_list" and "/tracks" or ""), auth(t))
  end
  if route == "start" then
    return wrk.format("POST", "/api/focus", auth(pick()), '{"mode":"focus","duration_seconds":1500}')
  end
  -- sign-up: a name no one has (this run's clock, the thread, a count),
  -- so every request creates a person: the argon2 hash, the user, its
  -- settings and its first session
  if route == "signup" then
    n = n + 1
    return wrk.format("POST", "/api/auth/register", { ["Content-Type"] = "application/json" },
      string.format('{"name":"bench-su-%d-%d-%d","password":"bench-signup-password"}', run_stamp, tid, n))
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
  local c = cycles[route]
  if c and c.back and status >= 200 and status < 300 then
    local i, d = c.back(body, headers)
    if i and c.queued then waiting[#waiting + 1] = { i = i, d = d }
    elseif i then data[i] = d end
  end
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
