-- A message carrying the EICAR test string is rejected with 550 5.7.1, and
-- gets no headers. MT_SMTPREPLY compares the whole reply, so the Go test
-- sets milter.reject_text to a text without {ref}.
dofile(DIR .. "/common.lua")

check(EICAR ~= nil and #EICAR == 68, "run with -D EICAR=<the EICAR test string>")
local conn = transaction("MTREJECT1",
  headers("invoice", {{"Content-Type", "text/plain"}}),
  "Please find the file below.\r\n" .. EICAR .. "\r\n")
check(mt.getreply(conn) == SMFIR_REPLYCODE, "end of message was not answered with a reply code")
check(mt.eom_check(conn, MT_SMTPREPLY, "550", "5.7.1", "Rejected by content filter (miltertest)"),
  "the reply is not 550 5.7.1 Rejected by content filter (miltertest) (MT_SMTPREPLY)")
check(not mt.eom_check(conn, MT_HDRINSERT, "X-Kensa-Verdict"), "a rejected message got a verdict header")
finish(conn, "reject")
