-- Shared steps of Kensa's miltertest scripts (Debian's miltertest, from
-- OpenDKIM). The Go test (integration/miltertest_test.go) runs each script
-- with -D SOCKET=inet:PORT@127.0.0.1 -D DIR=<this directory>, and for the
-- reject case -D EICAR=<the EICAR test string>, built at run time.
--
-- A Lua error() makes miltertest exit 1 without a word, so every failure
-- is echoed first. (mt.eom_check(conn, MT_SMTPREPLY) without a code raises
-- "Invalid argument" in this miltertest: check mt.getreply instead.)

function fail(msg)
  mt.echo("FAIL: " .. msg)
  error(msg)
end

function check(cond, msg)
  if not cond then
    fail(msg)
  end
end

-- must fails when a miltertest call returned an error string.
function must(err, what)
  if err ~= nil then
    fail(what .. ": " .. tostring(err))
  end
end

-- transaction opens a connection and sends one message up to and
-- including end of message. headers is a list of {name, value}; body uses
-- CRLF line ends. It returns the connection for the checks.
function transaction(queueid, headers, body)
  local conn = mt.connect(SOCKET, 10, 0.2)
  check(conn ~= nil, "cannot connect to " .. SOCKET)
  mt.set_timeout(30)
  must(mt.conninfo(conn, "client.test", "192.0.2.10"), "conninfo")
  check(mt.getreply(conn) == SMFIR_CONTINUE, "connect was not answered with continue")
  must(mt.helo(conn, "client.test"), "helo")
  must(mt.mailfrom(conn, "<alice@sender.test>"), "mailfrom")
  check(mt.getreply(conn) == SMFIR_CONTINUE, "MAIL FROM was not answered with continue")
  mt.macro(conn, SMFIC_RCPT, "i", queueid)
  must(mt.rcptto(conn, "<bob@example.test>"), "rcptto")
  check(mt.getreply(conn) == SMFIR_CONTINUE, "RCPT TO was not answered with continue")
  for _, h in ipairs(headers) do
    must(mt.header(conn, h[1], h[2]), "header " .. h[1])
  end
  must(mt.eoh(conn), "eoh")
  must(mt.bodystring(conn, body), "body")
  must(mt.eom(conn), "eom")
  return conn
end

-- standard headers of a test message with a subject.
function headers(subject, extra)
  local h = {
    {"From", "Alice <alice@sender.test>"},
    {"To", "<bob@example.test>"},
    {"Subject", subject},
    {"Message-ID", "<" .. subject:gsub("%W", "") .. "@sender.test>"},
    {"Date", "Fri, 27 Nov 2026 09:00:00 +0000"},
    {"MIME-Version", "1.0"},
  }
  for _, e in ipairs(extra or {}) do
    table.insert(h, e)
  end
  return h
end

-- verdict returns the value of the X-Kensa-Verdict header Kensa inserted.
function verdict(conn)
  check(mt.eom_check(conn, MT_HDRINSERT, "X-Kensa-Verdict"), "no X-Kensa-Verdict inserted (MT_HDRINSERT)")
  local v = mt.getheader(conn, "X-Kensa-Verdict", 0)
  check(v ~= nil, "X-Kensa-Verdict has no value")
  return v
end

function finish(conn, name)
  mt.disconnect(conn)
  mt.echo("ok: " .. name)
end
