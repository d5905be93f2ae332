-- A message that scores into tag (test rule, score 30, in a base64
-- attachment) is accepted with the verdict and findings headers and the
-- configured subject prefix ("[SUSPICIOUS] " in the test config).
dofile(DIR .. "/common.lua")

local body = "--b1\r\nContent-Type: text/plain\r\n\r\nnotes attached\r\n" ..
  "--b1\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=\"notes.txt\"\r\n" ..
  "Content-Transfer-Encoding: base64\r\n\r\n" ..
  "S0VOU0EtVEVTVC1UQUcK\r\n" .. -- "KENSA-TEST-TAG\n"
  "--b1--\r\n"
local conn = transaction("MTTAG1",
  headers("meeting notes", {{"Content-Type", "multipart/mixed; boundary=\"b1\""}}), body)
check(mt.getreply(conn) ~= SMFIR_REPLYCODE, "a tagged message got an SMTP reply")
check(not mt.eom_check(conn, MT_QUARANTINE), "a tagged message was quarantined")
local v = verdict(conn)
check(string.find(v, "^%s*tag; ") ~= nil, "X-Kensa-Verdict is '" .. v .. "', want tag")
check(mt.eom_check(conn, MT_HDRINSERT, "X-Kensa-Findings"), "no X-Kensa-Findings inserted")
local f = mt.getheader(conn, "X-Kensa-Findings", 0)
check(f ~= nil and string.find(f, "Kensa_Test_Tag", 1, true) ~= nil, "X-Kensa-Findings is '" .. tostring(f) .. "'")
check(mt.eom_check(conn, MT_HDRCHANGE, "Subject", "[SUSPICIOUS] meeting notes") or
      mt.eom_check(conn, MT_HDRCHANGE, "Subject", " [SUSPICIOUS] meeting notes"),
  "the Subject was not changed to '[SUSPICIOUS] meeting notes'")
finish(conn, "tag")
