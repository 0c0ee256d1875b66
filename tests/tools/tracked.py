#!/usr/bin/env python3
"""Tracked changes of a DOCX through LibreOffice (UNO), as a reviewer sees them.

usage: tracked.py MODE IN.docx OUT.txt
  MODE  accept — accept every change, then save the text
        reject — reject every change, then save the text
        text   — save the text as it is (for the documents compared with)
        count  — print how many changes LibreOffice lists, and their authors

Starts its own headless soffice with a private profile, so it runs beside
another LibreOffice and leaves nothing behind.
"""
import os, subprocess, sys, tempfile, time

try:
    import uno
except ImportError:  # a python of its own (pyenv) beside the system's python3-uno
    sys.path.append("/usr/lib/python3/dist-packages")
    import uno
from com.sun.star.beans import PropertyValue


def prop(name, value):
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main():
    mode, src, out = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    with tempfile.TemporaryDirectory() as tmp:
        pipe = "prikaz" + str(os.getpid())
        office = subprocess.Popen([
            "soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
            "--invisible", "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            local = uno.getComponentContext()
            resolver = local.ServiceManager.createInstanceWithContext(
                "com.sun.star.bridge.UnoUrlResolver", local)
            ctx = None
            for _ in range(120):
                try:
                    ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                    break
                except Exception:
                    time.sleep(0.5)
            if ctx is None:
                sys.exit("soffice did not start")
            smgr = ctx.ServiceManager
            desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
            doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0,
                                               (prop("Hidden", True),))
            if mode == "count":
                redlines = doc.Redlines
                authors = set()
                n = redlines.Count
                for i in range(n):
                    authors.add(redlines.getByIndex(i).RedlineAuthor)
                with open(out, "w", encoding="utf-8") as f:
                    f.write(f"{n}\n" + "\n".join(sorted(authors)) + "\n")
            else:
                if mode in ("accept", "reject"):
                    dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
                    frame = doc.getCurrentController().getFrame()
                    cmd = ".uno:AcceptAllTrackedChanges" if mode == "accept" else ".uno:RejectAllTrackedChanges"
                    dispatcher.executeDispatch(frame, cmd, "", 0, ())
                doc.storeToURL(uno.systemPathToFileUrl(out), (prop("FilterName", "Text (encoded)"),
                                                               prop("FilterOptions", "UTF8,LF")))
            doc.close(True)
        finally:
            try:
                desktop.terminate()
            except Exception:
                pass
            office.terminate()
            try:
                office.wait(timeout=20)
            except subprocess.TimeoutExpired:
                office.kill()


if __name__ == "__main__":
    main()
