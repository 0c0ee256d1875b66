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


def without_comments(src, tmp):
    """The DOCX without its comments: LibreOffice 7.4 driven over UNO in
    headless mode fails to load a document that has them (a conversion with
    --convert-to does not), and comments are not the text compared."""
    import re, zipfile
    with zipfile.ZipFile(src) as z:
        if "word/comments.xml" not in z.namelist():
            return src
        parts = {n: z.read(n) for n in z.namelist()}
    doc = parts["word/document.xml"].decode("utf-8")
    doc = re.sub(r"<w:commentRange(Start|End)\b[^>]*/>", "", doc)
    doc = re.sub(r"<w:r>(?:(?!</w:r>).)*?<w:commentReference\b[^>]*/>(?:(?!</w:r>).)*?</w:r>", "", doc)
    parts["word/document.xml"] = doc.encode("utf-8")
    for name in [n for n in parts if n.startswith("word/comments")]:
        del parts[name]
    rels = parts["word/_rels/document.xml.rels"].decode("utf-8")
    parts["word/_rels/document.xml.rels"] = re.sub(r"<Relationship [^>]*Target=\"comments[^\"]*\"[^>]*/>", "", rels).encode("utf-8")
    types = parts["[Content_Types].xml"].decode("utf-8")
    parts["[Content_Types].xml"] = re.sub(r"<Override [^>]*PartName=\"/word/comments[^\"]*\"[^>]*/>", "", types).encode("utf-8")
    out = os.path.join(tmp, "source.docx")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for n, b in parts.items():
            z.writestr(n, b)
    return out


def main():
    mode, src, out = sys.argv[1], os.path.abspath(sys.argv[2]), os.path.abspath(sys.argv[3])
    # LibreOffice 7.4 over UNO now and then drops the bridge under load (two
    # test processes at once on two cores): a fresh instance is tried again.
    for attempt in range(3):
        try:
            return run(mode, src, out)
        except Exception as e:  # the UNO exceptions have no common Python base
            if "DisposedException" not in type(e).__name__ and "RuntimeException" not in type(e).__name__ or attempt == 2:
                raise
            print(f"tracked.py: LibreOffice went away ({type(e).__name__}), trying again", file=sys.stderr)
            time.sleep(2)


def run(mode, src, out):
    with tempfile.TemporaryDirectory() as tmp:
        src = without_comments(src, tmp)
        pipe = "prikaz" + str(os.getpid())
        office = subprocess.Popen([
            "soffice", f"-env:UserInstallation=file://{tmp}/profile", "--headless",
            "--invisible", "--norestore", "--nologo", f"--accept=pipe,name={pipe};urp;",
        ], stdout=subprocess.DEVNULL, stderr=None if os.environ.get("TRACKED_DEBUG") else subprocess.DEVNULL)
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
            if doc is None:
                sys.exit(f"LibreOffice could not open {src}")
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
