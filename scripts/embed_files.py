"""Writes a Swift file holding files of a folder as raw string literals, so the installed
binary (one file) carries them. Used by scripts/embed-catalog.sh and scripts/embed-webshop.sh;
a test of each fails when the output is stale.

    python3 embed_files.py ROOT FOLDER PATTERN OUTPUT HEADER EXTENSION PROPERTY DOC HASHES [--strict]

Files of ROOT/FOLDER whose names match PATTERN become `static let PROPERTY: [(name:, text:)]`
in `extension EXTENSION`, with HASHES #'s around each literal. --strict: any other file is an error.
"""
import os
import re
import sys

root, folder, pattern, output, header, extension, prop, doc, hashes = sys.argv[1:10]
strict = "--strict" in sys.argv[10:]
delimiter = "#" * int(hashes)
out = [f"// {header}; never edit by hand.", "", f"extension {extension} {{", f"    /// {doc}",
       f"    static let {prop}: [(name: String, text: String)] = ["]
for name in sorted(os.listdir(os.path.join(root, folder))):
    if not re.fullmatch(pattern, name):
        if strict:
            sys.exit(f"{folder}/{name}: only files named like {pattern} belong here")
        continue
    text = open(os.path.join(root, folder, name), encoding="utf-8").read()
    if f'"""{delimiter}' in text or f"\\{delimiter}" in text or "\r" in text:
        sys.exit(f"{folder}/{name}: contains a raw-string delimiter, an escape or a carriage return")
    out.append(f'        ("{name}", {delimiter}"""\n{text}\n"""{delimiter}),')
out += ["    ]", "}", ""]
open(os.path.join(root, output), "w", encoding="utf-8").write("\n".join(out))
