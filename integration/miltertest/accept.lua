-- A clean message is accepted; Kensa inserts X-Kensa-Verdict: accept and
-- removes a forged X-Kensa-Verdict that came with the message.
dofile(DIR .. "/common.lua")

local conn = transaction("MTACCEPT1",
  headers("clean message", {{"Content-Type", "text/plain; charset=utf-8"},
                            {"X-Kensa-Verdict", "accept; score=0; ref=forged"}}),
  "Hello Bob,\r\nthe minutes are below.\r\n")
check(mt.getreply(conn) == SMFIR_ACCEPT or mt.getreply(conn) == SMFIR_CONTINUE,
  "end of message was not answered with accept")
check(not mt.eom_check(conn, MT_QUARANTINE), "a clean message was quarantined")
local v = verdict(conn)
check(string.find(v, "^%s*accept; ") ~= nil, "X-Kensa-Verdict is '" .. v .. "', want accept")
check(string.find(v, "forged") == nil, "the forged verdict was kept: " .. v)
check(mt.eom_check(conn, MT_HDRDELETE, "X-Kensa-Verdict") or mt.eom_check(conn, MT_HDRCHANGE, "X-Kensa-Verdict", ""),
  "the forged X-Kensa-Verdict was not removed")
finish(conn, "accept")
