/**
 * The Redis transport's writes, each one Lua script: Redis runs a script atomically, so a
 * publish, a claim or an ack is all-or-nothing, as a transaction is on SQLite. Every
 * script takes the campaign's key prefix as ARGV[1]; keys under it:
 *
 *   P:msg      hash  event id → "seq|message JSON"      (the log's bodies)
 *   P:log      stream, entry id "<seq>-1" per message     (the log's order: tail, trim)
 *   P:corr:C   list of a correlation's event ids; P:corrt:C its task ids
 *   P:idem     hash  idempotency key → request event id  (one request per key)
 *   P:resp     hash  idempotency key → response event id (at most one response per key)
 *   P:task:N   hash  a task (the fields of TaskRow, times in epoch ms); P:tid its counter
 *   P:evtask   hash  request event id → its newest task id
 *   P:open     set of unfinished task ids
 *   P:q:AGENT  stream of task ids, consumer group "g" (XREADGROUP, XAUTOCLAIM for leases)
 *   P:delay:AGENT  sorted set of task ids retrying after a backoff, by due time
 *   P:dead     stream of dead-letter task ids (MAXLEN ~ DEAD_LETTERS_KEPT)
 *   P:blob:K   string, a claim-check blob; P:blobc hash key → correlation; P:cblobs:C set
 *   P:meta     hash (the work-token secret)
 */

/**
 * Each claim's own lease, on the pending-entries list: a claim sets its entry's idle time
 * to LEASE_HORIZON_MS − lease (XCLAIM … IDLE), so the entry reaches LEASE_HORIZON_MS of
 * idleness exactly when its lease runs out, and XAUTOCLAIM with that min-idle-time takes
 * over the expired claims of every consumer, whatever lease each claimed with (a lease is
 * at most this long: 30 days).
 */
export const LEASE_HORIZON_MS = 30 * 24 * 3600 * 1000;

/** Dead-letter stream entries kept (`XADD … MAXLEN ~`); the task records stay until a trim. */
export const DEAD_LETTERS_KEPT = 10_000;

const FINISH_ENTRY = `
local function finish_entry(P, t)
  local entry = redis.call('HGET', t, 'entry')
  if entry then
    local q = P .. ':q:' .. redis.call('HGET', t, 'agent')
    redis.call('XACK', q, 'g', entry)
    redis.call('XDEL', q, entry)
    redis.call('HDEL', t, 'entry')
  end
end
local function log_message(P, e, c, j)
  local seq = redis.call('INCR', P .. ':seq')
  redis.call('HSET', P .. ':msg', e, seq .. '|' .. j)
  redis.call('XADD', P .. ':log', seq .. '-1', 'e', e)
  redis.call('RPUSH', P .. ':corr:' .. c, e)
end
local function to_dead(P, tid, t, now)
  redis.call('HSET', t, 'finished_at', now)
  redis.call('SREM', P .. ':open', tid)
  redis.call('XADD', P .. ':dead', 'MAXLEN', '~', ${DEAD_LETTERS_KEPT}, '*', 't', tid)
end
`;

/**
 * ARGV: P, now, max_attempts, then per message six arguments: event id, correlation id,
 * idempotency key, agent, type, message JSON (flat arguments, not one JSON array: Lua's
 * cjson decoding every message body a second time was a third of the script's time).
 * → flat [status, event id, task id]…
 */
export const PUBLISH = `${FINISH_ENTRY}
local P, now, maxA = ARGV[1], ARGV[2], ARGV[3]
local out, batch = {}, {}
for i = 4, #ARGV, 6 do
  local m = { e = ARGV[i], c = ARGV[i + 1], k = ARGV[i + 2], a = ARGV[i + 3], t = ARGV[i + 4], j = ARGV[i + 5] }
  local first = batch[m.k]
  local resp = (not first) and redis.call('HGET', P .. ':resp', m.k)
  local ev = (not first) and (not resp) and redis.call('HGET', P .. ':idem', m.k)
  if first then
    out[#out + 1] = 'pending'; out[#out + 1] = first[1]; out[#out + 1] = first[2]
  elseif resp then
    out[#out + 1] = 'answered'; out[#out + 1] = resp; out[#out + 1] = ''
  elseif ev then
    out[#out + 1] = 'pending'; out[#out + 1] = ev
    out[#out + 1] = redis.call('HGET', P .. ':evtask', ev) or ''
  else
    log_message(P, m.e, m.c, m.j)
    redis.call('HSET', P .. ':idem', m.k, m.e)
    local tid = tostring(redis.call('INCR', P .. ':tid'))
    local t = P .. ':task:' .. tid
    redis.call('HSET', t, 'id', tid, 'event_id', m.e, 'correlation_id', m.c, 'agent', m.a,
      'type', m.t, 'state', 'queued', 'attempts', 0, 'max_attempts', maxA, 'failures', 0,
      'available_at', now, 'created_at', now)
    redis.call('HSET', P .. ':evtask', m.e, tid)
    redis.call('RPUSH', P .. ':corrt:' .. m.c, tid)
    redis.call('SADD', P .. ':open', tid)
    redis.call('SADD', P .. ':agents', m.a)
    redis.call('HSET', t, 'entry', redis.call('XADD', P .. ':q:' .. m.a, '*', 't', tid))
    batch[m.k] = { m.e, tid }
    out[#out + 1] = 'queued'; out[#out + 1] = m.e; out[#out + 1] = tid
  end
end
return out`;

/**
 * ARGV: P, agent, now, n, lease ms, consumer, expired-error JSON, final-expired-error JSON
 * (its "%d" becomes the attempts). Due retries go back on the agent's stream; claims idle
 * longer than the lease are taken over (XAUTOCLAIM: a redelivery, or a dead letter when
 * its attempts are used up); then new entries (XREADGROUP). → flat [task id, previous
 * state, attempt, work token or "", "seq|message JSON"]…
 */
export const CLAIM = `${FINISH_ENTRY}
local P, A, now, n, lease, who = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), ARGV[6]
local q, delay = P .. ':q:' .. A, P .. ':delay:' .. A
redis.pcall('XGROUP', 'CREATE', q, 'g', '0', 'MKSTREAM')
for _, tid in ipairs(redis.call('ZRANGEBYSCORE', delay, '-inf', now, 'LIMIT', 0, 1000)) do
  redis.call('ZREM', delay, tid)
  redis.call('HSET', P .. ':task:' .. tid, 'entry', redis.call('XADD', q, '*', 't', tid))
end
local out, got, claimed = {}, 0, {}
local function take(tid, entry, prev)
  local t = P .. ':task:' .. tid
  local attempt = redis.call('HINCRBY', t, 'attempts', 1)
  redis.call('HSET', t, 'state', 'claimed', 'claimed_by', who, 'lease_until', now + lease, 'entry', entry)
  claimed[#claimed + 1] = entry
  local f = redis.call('HMGET', t, 'event_id', 'work_token')
  out[#out + 1] = tid; out[#out + 1] = prev; out[#out + 1] = attempt
  out[#out + 1] = f[2] or ''
  out[#out + 1] = redis.call('HGET', P .. ':msg', f[1]) or ''
  got = got + 1
end
local function stale(entry)
  redis.call('XACK', q, 'g', entry)
  redis.call('XDEL', q, entry)
end
local ac = redis.call('XAUTOCLAIM', q, 'g', who, ${LEASE_HORIZON_MS}, '0-0', 'COUNT', n)
for _, e in ipairs(ac[2]) do
  local entry, tid = e[1], e[2][2]
  local t = P .. ':task:' .. tid
  if redis.call('HGET', t, 'state') ~= 'claimed' or redis.call('HGET', t, 'entry') ~= entry then
    stale(entry)
  else
    local attempts = tonumber(redis.call('HGET', t, 'attempts'))
    redis.call('HINCRBY', t, 'failures', 1)
    if attempts >= tonumber(redis.call('HGET', t, 'max_attempts')) then
      redis.call('HSET', t, 'state', 'dead', 'last_error', (string.gsub(ARGV[8], '%%d', tostring(attempts))))
      redis.call('HDEL', t, 'claimed_by', 'lease_until')
      finish_entry(P, t)
      to_dead(P, tid, t, now)
    else
      redis.call('HSET', t, 'last_error', ARGV[7], 'available_at', now)
      take(tid, entry, 'expired')
    end
  end
end
if got < n then
  local r = redis.call('XREADGROUP', 'GROUP', 'g', who, 'COUNT', n - got, 'STREAMS', q, '>')
  if r then
    for _, e in ipairs(r[1][2]) do
      local entry, tid = e[1], e[2][2]
      local f = redis.call('HMGET', P .. ':task:' .. tid, 'state', 'entry')
      local st = f[1]
      if (st == 'queued' or st == 'retry') and f[2] == entry then
        take(tid, entry, st)
      else
        stale(entry)
      end
    end
  end
end
-- each claim's lease on the pending-entries list, one XCLAIM per 1,000 entries
for i = 1, #claimed, 1000 do
  local args = { 'XCLAIM', q, 'g', who, 0, unpack(claimed, i, math.min(i + 999, #claimed)) }
  args[#args + 1] = 'IDLE'; args[#args + 1] = ${LEASE_HORIZON_MS} - lease
  args[#args + 1] = 'JUSTID'
  redis.call(unpack(args))
end
return out`;

/**
 * ARGV: P, now, then per response seven arguments: task id, event id, idempotency key,
 * correlation id, message JSON, outcome, causation id. Checks every task first (claimed,
 * or already done under the same key: a redelivery's second answer), then logs each
 * response unless one is logged for its key (the effect happens once), finishes the task
 * and its stream entry (acked and deleted in one XACK and one XDEL per agent's stream).
 * → ["ok", response event id, "1" if it was logged before, …] or [problem, task id, detail].
 */
export const ACK = `${FINISH_ENTRY}
local P, now = ARGV[1], ARGV[2]
local items = {}
for i = 3, #ARGV, 7 do
  items[#items + 1] = { tid = ARGV[i], e = ARGV[i + 1], k = ARGV[i + 2], c = ARGV[i + 3],
    j = ARGV[i + 4], o = ARGV[i + 5], cause = ARGV[i + 6] }
end
for _, it in ipairs(items) do
  local f = redis.call('HMGET', P .. ':task:' .. it.tid, 'state', 'event_id')
  local st, ev = f[1], f[2]
  if not st then return { 'missing', it.tid, '' } end
  if ev ~= it.cause then return { 'cause', it.tid, ev } end
  if st ~= 'claimed' and not (st == 'done' and redis.call('HGET', P .. ':resp', it.k)) then
    return { 'state', it.tid, st }
  end
end
local out, entries = { 'ok' }, {}
for _, it in ipairs(items) do
  local t = P .. ':task:' .. it.tid
  local existing = redis.call('HGET', P .. ':resp', it.k)
  if not existing then
    log_message(P, it.e, it.c, it.j)
    redis.call('HSET', P .. ':resp', it.k, it.e)
  end
  local f = redis.call('HMGET', t, 'state', 'entry', 'agent')
  if f[1] == 'claimed' then
    redis.call('HSET', t, 'state', 'done', 'finished_at', now, 'outcome', it.o,
      'response_event', existing or it.e)
    redis.call('HDEL', t, 'lease_until', 'entry')
    redis.call('SREM', P .. ':open', it.tid)
    if f[2] then
      local q = P .. ':q:' .. f[3]
      entries[q] = entries[q] or {}
      table.insert(entries[q], f[2])
    end
  end
  out[#out + 1] = existing or it.e
  out[#out + 1] = existing and '1' or '0'
end
for q, ids in pairs(entries) do
  for i = 1, #ids, 1000 do
    redis.call('XACK', q, 'g', unpack(ids, i, math.min(i + 999, #ids)))
    redis.call('XDEL', q, unpack(ids, i, math.min(i + 999, #ids)))
  end
end
return out`;

/** ARGV: P, task id, next state (retry|dead), now, due time, error JSON. → "ok" | state */
export const FAIL = `${FINISH_ENTRY}
local P, tid, nxt, now, at, err = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
local t = P .. ':task:' .. tid
local st = redis.call('HGET', t, 'state')
if st ~= 'claimed' then return st or 'missing' end
redis.call('HINCRBY', t, 'failures', 1)
redis.call('HSET', t, 'state', nxt, 'last_error', err, 'available_at', at)
redis.call('HDEL', t, 'claimed_by', 'lease_until')
finish_entry(P, t)
if nxt == 'retry' then
  redis.call('ZADD', P .. ':delay:' .. redis.call('HGET', t, 'agent'), at, tid)
else
  to_dead(P, tid, t, now)
end
return 'ok'`;

/** ARGV: P, task id, now. Back to the queue unprocessed. → "ok" | state */
export const RELEASE = `${FINISH_ENTRY}
local P, tid, now = ARGV[1], ARGV[2], ARGV[3]
local t = P .. ':task:' .. tid
local st = redis.call('HGET', t, 'state')
if st ~= 'claimed' then return st or 'missing' end
local attempts = tonumber(redis.call('HGET', t, 'attempts'))
redis.call('HSET', t, 'state', 'queued', 'attempts', math.max(0, attempts - 1), 'available_at', now)
redis.call('HDEL', t, 'claimed_by', 'lease_until')
finish_entry(P, t)
redis.call('ZADD', P .. ':delay:' .. redis.call('HGET', t, 'agent'), now, tid)
return 'ok'`;

/** ARGV: P, task id, now, lease ms. → "ok" | state */
export const HEARTBEAT = `
local P, tid, now, lease = ARGV[1], ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
local t = P .. ':task:' .. tid
local st = redis.call('HGET', t, 'state')
if st ~= 'claimed' then return st or 'missing' end
local q = P .. ':q:' .. redis.call('HGET', t, 'agent')
redis.call('XCLAIM', q, 'g', redis.call('HGET', t, 'claimed_by'), 0, redis.call('HGET', t, 'entry'),
  'IDLE', ${LEASE_HORIZON_MS} - lease, 'JUSTID')
redis.call('HSET', t, 'lease_until', now + lease)
return 'ok'`;

/** ARGV: P, dead task id, work token, now. → new task id | [problem, detail] */
export const RETRY = `
local P, old, token, now = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
local o = P .. ':task:' .. old
local st = redis.call('HGET', o, 'state')
if not st then return { 'missing', '' } end
if st ~= 'dead' then return { 'state', st } end
local again = redis.call('HGET', o, 'retried_as')
if again then return { 'retried', again } end
local f = redis.call('HMGET', o, 'event_id', 'correlation_id', 'agent', 'type', 'max_attempts')
local tid = tostring(redis.call('INCR', P .. ':tid'))
local t = P .. ':task:' .. tid
redis.call('HSET', t, 'id', tid, 'event_id', f[1], 'correlation_id', f[2], 'agent', f[3],
  'type', f[4], 'state', 'queued', 'attempts', 0, 'max_attempts', f[5], 'failures', 0,
  'available_at', now, 'created_at', now, 'work_token', token)
redis.call('HSET', o, 'retried_as', tid)
redis.call('HSET', P .. ':evtask', f[1], tid)
redis.call('RPUSH', P .. ':corrt:' .. f[2], tid)
redis.call('SADD', P .. ':open', tid)
redis.call('HSET', t, 'entry', redis.call('XADD', P .. ':q:' .. f[3], '*', 't', tid))
return tid`;
