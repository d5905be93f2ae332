-- A message that scores into quarantine (test rule, score 60) is accepted
-- with the quarantine action and the verdict header.
dofile(DIR .. "/common.lua")

local conn = transaction("MTQUAR1",
  headers("payment details", {{"Content-Type", "text/plain"}}),
  "Please check KENSA-TEST-QUARANTINE today.\r\n")
check(mt.eom_check(conn, MT_QUARANTINE), "the message was not quarantined (MT_QUARANTINE)")
check(mt.getreply(conn) ~= SMFIR_REPLYCODE, "a quarantined message got an SMTP reply")
local v = verdict(conn)
check(string.find(v, "^%s*quarantine; ") ~= nil, "X-Kensa-Verdict is '" .. v .. "', want quarantine")
finish(conn, "quarantine")
