#!/usr/bin/python3
# Opens and saves password-protected documents with LibreOffice (soffice.Crypt):
# LibreOffice's command line has no password option, its UNO interface does.
#   crypt.py PROFILE_DIR < jobs      one job a line, fields separated by tabs:
#   open IN PASSWORD OUT FILTER      load IN with PASSWORD, store OUT unencrypted
#   save IN PASSWORD OUT FILTER      load IN, store OUT encrypted with PASSWORD
# One soffice serves every job. A job that fails prints "FAIL <line>: why"
# and the others still run; the exit status is 1 when any failed.
import os
import signal
import subprocess
import sys
import time

import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def named(name, value):
    n = uno.createUnoStruct("com.sun.star.beans.NamedValue")
    n.Name, n.Value = name, value
    return n


def run(desktop, mode, src, password, dst, filt):
    load = [prop("Hidden", True)]
    if mode == "open" and password:  # no password: an unencrypted document, converted
        load.append(prop("Password", password))
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(src)), "_blank", 0, tuple(load))
    if doc is None:
        raise RuntimeError("LibreOffice could not load %s" % src)
    try:
        store = [prop("FilterName", filt), prop("Overwrite", True)]
        if mode == "save":
            if "2007" in filt:
                # OOXML filters take the password as EncryptionData; LibreOffice
                # 7.4 writes Standard encryption (its Agile export fails).
                data = (named("CryptoType", "Standard"), named("OOXPassword", password))
                store.append(prop("EncryptionData", uno.Any("[]com.sun.star.beans.NamedValue", data)))
            else:
                store.append(prop("Password", password))
        uno.invoke(doc, "storeToURL", (uno.systemPathToFileUrl(os.path.abspath(dst)),
                                       uno.Any("[]com.sun.star.beans.PropertyValue", tuple(store))))
    finally:
        doc.close(True)


def main():
    profile = sys.argv[1]
    pipe = "kensa%d" % os.getpid()
    proc = subprocess.Popen(["soffice", "--headless", "--invisible", "--norestore", "--nolockcheck",
                             "-env:UserInstallation=file://" + os.path.abspath(profile),
                             "--accept=pipe,name=%s;urp;" % pipe],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    failed = False
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        ctx = None
        for _ in range(240):
            try:
                ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
                break
            except Exception:
                if proc.poll() is not None:
                    sys.exit("soffice exited with %s before it accepted a connection" % proc.returncode)
                time.sleep(0.5)
        if ctx is None:
            sys.exit("soffice did not accept a connection in 120 s")
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        for line in sys.stdin:
            line = line.rstrip("\n")
            if not line:
                continue
            try:
                run(desktop, *line.split("\t"))
                print("ok %s" % line, flush=True)
            except Exception as e:
                failed = True
                print("FAIL %s: %s" % (line, e), flush=True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge drops as soffice exits
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # soffice runs soffice.bin below it: end the whole group.
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
    sys.exit(1 if failed else 0)


main()
